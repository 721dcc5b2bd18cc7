package org.escadrille.server.api.rest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.usage.UsageAccounting;
import org.escadrille.server.usage.UsageCsv;
import org.escadrille.server.usage.UsageLine;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Usage per user or per group for a month, for admins: CSV ({@code text/csv}, the default) for reports,
 * or JSON when asked ({@code Accept: application/json}).
 */
@RestController
class UsageController {
    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final UsageAccounting usage;
    private final Clock clock;

    UsageController(UsageAccounting usage, Clock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    record UsageView(String month, String by, List<UsageLine> lines) {
    }

    @GetMapping("/api/v1/usage")
    ResponseEntity<?> usage(@AuthenticationPrincipal Account caller, @RequestParam(required = false) String month,
                            @RequestParam(defaultValue = "user") String by,
                            @RequestHeader(value = HttpHeaders.ACCEPT, defaultValue = "") String accept) {
        if (!caller.isAdmin()) {
            throw new AccessDeniedException("usage accounting is for admins only");
        }
        YearMonth period = month(month);
        if (!by.equals("user") && !by.equals("group")) {
            throw new InvalidRequestException("Invalid grouping", "by must be 'user' or 'group', got '" + by + "'");
        }
        var lines = by.equals("user") ? usage.byUser(period) : usage.byGroup(period);
        if (accept.contains(MediaType.APPLICATION_JSON_VALUE)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new UsageView(period.toString(), by, lines));
        }
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"usage-" + period + "-by-" + by + ".csv\"")
                .body(UsageCsv.of(period.toString(), by, lines));
    }

    private YearMonth month(String month) {
        if (month == null || month.isBlank()) {
            return YearMonth.now(clock.withZone(ZoneOffset.UTC));
        }
        try {
            return YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Invalid month", "month is a year and a month, as 2026-11; got '" + month + "'");
        }
    }
}
