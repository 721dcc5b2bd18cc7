package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.group.Group;
import org.escadrille.server.group.GroupMember;
import org.escadrille.server.group.GroupRole;
import org.escadrille.server.group.Groups;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/groups}: the caller's groups (every group for an admin), a group with its members,
 * and what admins and group administrators change. A group the caller is not in is a 404.
 */
@RestController
class GroupsController {
    private final Groups groups;

    GroupsController(Groups groups) {
        this.groups = groups;
    }

    record GroupView(String name, String description, Instant createdAt, String myRole, List<GroupMember> members) {
    }

    record NewGroup(String name, String description) {
    }

    record NewMember(String username, String role) {
    }

    record RoleChange(String role) {
    }

    @GetMapping("/api/v1/groups")
    List<GroupView> list(@AuthenticationPrincipal Account account) {
        return groups.list(account).stream().map(group -> view(group, account, null)).toList();
    }

    @PostMapping("/api/v1/groups")
    ResponseEntity<GroupView> create(@AuthenticationPrincipal Account account, @RequestBody(required = false) NewGroup body,
                                     HttpServletRequest request) {
        var created = groups.create(account, body == null ? null : body.name(), body == null ? null : body.description(),
                request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(created, account, created.members()));
    }

    @GetMapping("/api/v1/groups/{name}")
    GroupView show(@AuthenticationPrincipal Account account, @PathVariable String name) {
        var group = groups.show(account, name);
        return view(group, account, group.members());
    }

    @DeleteMapping("/api/v1/groups/{name}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Account account, @PathVariable String name, HttpServletRequest request) {
        groups.delete(account, name, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    /** Adds a member ({@code role} MEMBER by default), or sets the role of one already there. */
    @PostMapping("/api/v1/groups/{name}/members")
    GroupView addMember(@AuthenticationPrincipal Account account, @PathVariable String name,
                        @RequestBody(required = false) NewMember body, HttpServletRequest request) {
        if (body == null || body.username() == null || body.username().isBlank()) {
            throw new InvalidRequestException("Invalid member", "name the user to add in 'username'",
                    List.of(new InvalidRequestException.FieldProblem("username", "is required")));
        }
        var group = groups.putMember(account, name, body.username().strip(), role(body.role()), request.getRemoteAddr());
        return view(group, account, group.members());
    }

    @PutMapping("/api/v1/groups/{name}/members/{username}")
    GroupView setRole(@AuthenticationPrincipal Account account, @PathVariable String name, @PathVariable String username,
                      @RequestBody(required = false) RoleChange body, HttpServletRequest request) {
        if (body == null || body.role() == null) {
            throw new InvalidRequestException("Invalid role", "give the member's new role in 'role': MEMBER or ADMIN",
                    List.of(new InvalidRequestException.FieldProblem("role", "is required")));
        }
        var group = groups.setRole(account, name, username, role(body.role()), request.getRemoteAddr());
        return view(group, account, group.members());
    }

    @DeleteMapping("/api/v1/groups/{name}/members/{username}")
    ResponseEntity<Void> removeMember(@AuthenticationPrincipal Account account, @PathVariable String name,
                                      @PathVariable String username, HttpServletRequest request) {
        groups.removeMember(account, name, username, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    private static GroupRole role(String value) {
        if (value == null || value.isBlank()) {
            return GroupRole.MEMBER;
        }
        try {
            return GroupRole.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid role", "a member's role is MEMBER or ADMIN, got '" + value + "'",
                    List.of(new InvalidRequestException.FieldProblem("role", "must be MEMBER or ADMIN")));
        }
    }

    private GroupView view(Group group, Account caller, List<GroupMember> members) {
        String myRole = groups.membershipsOf(caller.username()).stream().filter(m -> m.group().equals(group.name()))
                .map(m -> m.role().name()).findFirst().orElse(null);
        return new GroupView(group.name(), group.description(), group.createdAt(), myRole, members);
    }
}
