package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.storage.OrphanSweeper;
import org.escadrille.server.storage.SweepReport;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The storage's orphan sweeper, for admins: {@code POST /api/v1/storage/orphan-sweeps} runs a pass now
 * and answers its report; {@code GET /api/v1/storage/orphan-sweeps/last} answers the last pass's.
 */
@RestController
class OrphanSweepController {
    private final OrphanSweeper sweeper;
    private final AuditLog audit;

    OrphanSweepController(OrphanSweeper sweeper, AuditLog audit) {
        this.sweeper = sweeper;
        this.audit = audit;
    }

    @PostMapping("/api/v1/storage/orphan-sweeps")
    SweepReport sweep(@AuthenticationPrincipal Account admin, HttpServletRequest request) {
        requireAdmin(admin);
        SweepReport report = sweeper.sweep();
        audit.record(admin.username(), "orphan-sweep", report.removed() + " objects removed ("
                + report.removedBytes() + " bytes)", request.getRemoteAddr());
        return report;
    }

    @GetMapping("/api/v1/storage/orphan-sweeps/last")
    SweepReport last(@AuthenticationPrincipal Account admin) {
        requireAdmin(admin);
        return sweeper.lastReport().orElseThrow(() -> new NotFoundException(
                "no orphan sweep has run since the server started: POST /api/v1/storage/orphan-sweeps runs one"));
    }

    private static void requireAdmin(Account admin) {
        if (!admin.isAdmin()) {
            throw new AccessDeniedException("the orphan sweeper is run by admins only");
        }
    }
}
