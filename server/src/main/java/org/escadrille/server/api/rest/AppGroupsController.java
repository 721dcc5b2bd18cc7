package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.group.Groups;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/apps/{name}/{version}/groups}, for admins: the groups an application version is
 * restricted to (none: public). Members of any of them see it; for everyone else it does not exist.
 */
@RestController
class AppGroupsController {
    private final Catalog catalog;
    private final Groups groups;
    private final AuditLog audit;

    AppGroupsController(Catalog catalog, Groups groups, AuditLog audit) {
        this.catalog = catalog;
        this.groups = groups;
        this.audit = audit;
    }

    /** @param groups the groups that may see the version; empty: everyone */
    record Restriction(String name, String version, List<String> groups) {
    }

    @GetMapping("/api/v1/apps/{name}/{version}/groups")
    Restriction get(@AuthenticationPrincipal Account account, @PathVariable String name, @PathVariable String version) {
        admin(account);
        return new Restriction(name, version, catalog.groupsOf(catalog.find(name, version, account)));
    }

    @PutMapping("/api/v1/apps/{name}/{version}/groups")
    Restriction put(@AuthenticationPrincipal Account account, @PathVariable String name, @PathVariable String version,
                    @RequestBody(required = false) Restriction body, HttpServletRequest request) {
        admin(account);
        if (body == null || body.groups() == null) {
            throw new InvalidRequestException("Invalid restriction", "send {\"groups\": [...]}: the groups that may see"
                    + " this version, or an empty list to make it public",
                    List.of(new InvalidRequestException.FieldProblem("groups", "is required")));
        }
        var problems = new ArrayList<InvalidRequestException.FieldProblem>();
        body.groups().stream().filter(group -> !groups.exists(group))
                .forEach(group -> problems.add(new InvalidRequestException.FieldProblem("groups", "no group named '" + group + "'")));
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid restriction", "name existing groups (GET /api/v1/groups lists them)", problems);
        }
        var app = catalog.restrict(name, version, body.groups(), account);
        audit.record(account.username(), "application-groups", name + " " + version + " " + String.join(",", body.groups()),
                request.getRemoteAddr());
        return new Restriction(app.name(), app.version(), catalog.groupsOf(app));
    }

    private static void admin(Account account) {
        if (!account.isAdmin()) {
            throw new AccessDeniedException("restricting applications to groups is for admins only");
        }
    }
}
