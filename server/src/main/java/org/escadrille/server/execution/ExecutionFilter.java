package org.escadrille.server.execution;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;

/**
 * Which executions a list shows: those in one of {@code statuses} (empty: any) of the application named
 * {@code app} (null: any) whose name contains {@code name} and whose stored invocation (the input values as
 * JSON) contains {@code input} — both substrings, ignoring case — created at or after {@code from} and
 * before {@code to} (null: unbounded).
 */
public record ExecutionFilter(Set<ExecutionStatus> statuses, String app, String name, String input, Instant from,
                              Instant to) {
    public static final ExecutionFilter ALL = new ExecutionFilter(Set.of(), null);
    /** The status word that stands for every status that has not ended. */
    public static final String ACTIVE = "active";

    public ExecutionFilter(Set<ExecutionStatus> statuses, String app) {
        this(statuses, app, null, null, null, null);
    }

    public ExecutionFilter {
        statuses = Set.copyOf(statuses);
        app = blankToNull(app);
        name = blankToNull(name);
        input = blankToNull(input);
    }

    /**
     * The filter a list's query parameters describe: {@code status} a status name or {@value #ACTIVE};
     * {@code from} and {@code to} a day ({@code 2026-12-05}, in {@code zone}, both days included) or an
     * instant ({@code 2026-12-05T10:00:00Z}). Every value that is not one of these is reported at once.
     */
    public static ExecutionFilter parse(String status, String app, String name, String input, String from, String to,
                                        ZoneId zone) {
        var problems = new ArrayList<FieldProblem>();
        Set<ExecutionStatus> statuses = statuses(status, problems);
        Instant start = instant("from", from, zone, false, problems);
        Instant end = instant("to", to, zone, true, problems);
        if (start != null && end != null && !start.isBefore(end)) {
            problems.add(new FieldProblem("to", "must be after from (" + from.strip() + ")"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid filter", problems.stream()
                    .map(p -> p.field() + " " + p.message()).collect(Collectors.joining("; ")), problems);
        }
        return new ExecutionFilter(statuses, app, name, input, start, end);
    }

    private static Set<ExecutionStatus> statuses(String status, List<FieldProblem> problems) {
        if (status == null || status.isBlank()) {
            return Set.of();
        }
        if (status.strip().equalsIgnoreCase(ACTIVE)) {
            return Arrays.stream(ExecutionStatus.values()).filter(s -> !s.isTerminal()).collect(Collectors.toSet());
        }
        var chosen = Arrays.stream(ExecutionStatus.values()).filter(s -> s.name().equalsIgnoreCase(status.strip()))
                .collect(Collectors.toSet());
        if (chosen.isEmpty()) {
            problems.add(new FieldProblem("status", "must be " + ACTIVE + " or one of "
                    + Arrays.stream(ExecutionStatus.values()).map(Enum::name).collect(Collectors.joining(", "))
                    + ", got '" + status.strip() + "'"));
        }
        return chosen;
    }

    /** A bound of the date range; a day as the upper bound means up to the end of that day. */
    private static Instant instant(String field, String value, ZoneId zone, boolean upper, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (upper ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeException e) {
            problems.add(new FieldProblem(field, "must be a date such as 2026-12-05 or an instant such as "
                    + "2026-12-05T10:00:00Z, got '" + text + "'"));
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** {@code text} as a case-insensitive LIKE pattern that matches it anywhere, its wildcards escaped with {@code \}. */
    static String containing(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
