package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.MailPreference;
import org.escadrille.server.account.UserAccount;
import org.escadrille.server.account.UserAdministration;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Users, for admins: find them, change their address, role or whether they may sign in, reset their password. */
@RestController
class UsersController {
    private final UserAdministration users;
    private final AccountService accounts;

    UsersController(UserAdministration users, AccountService accounts) {
        this.users = users;
        this.accounts = accounts;
    }

    /** A user as the API shows them. */
    record UserView(String username, String role, String email, boolean notifyOnEnd, boolean enabled, Instant createdAt,
                    Instant disabledAt) {
        static UserView of(UserAccount user) {
            return new UserView(user.username(), user.role().name().toLowerCase(), user.email(), user.notifyOnEnd(),
                    user.enabled(), user.createdAt(), user.disabledAt());
        }
    }

    /** What to change; a field left out stays as it is ({@code "email": ""} removes the address). */
    record UserChange(String email, String role, Boolean enabled) {
    }

    /** A new password: the one given, or (none given) a generated one, in the answer only. */
    record PasswordChange(String password) {
    }

    record PasswordReset(String username, String generatedPassword) {
    }

    @GetMapping("/api/v1/users")
    List<UserView> list(@AuthenticationPrincipal Account caller, @RequestParam(defaultValue = "") String q) {
        admin(caller);
        return users.find(q).stream().map(UserView::of).toList();
    }

    @GetMapping("/api/v1/users/{username}")
    UserView show(@AuthenticationPrincipal Account caller, @PathVariable String username) {
        admin(caller);
        return UserView.of(users.get(username));
    }

    @PatchMapping("/api/v1/users/{username}")
    UserView change(@AuthenticationPrincipal Account caller, @PathVariable String username,
                    @RequestBody(required = false) UserChange change, HttpServletRequest request) {
        admin(caller);
        if (change == null || change.email() == null && change.role() == null && change.enabled() == null) {
            throw new InvalidRequestException("Nothing to change", "send one or more of {\"email\": ..., \"role\": "
                    + "\"user\"|\"developer\"|\"admin\", \"enabled\": true|false}");
        }
        // Everything checked before anything changes: a bad field leaves the user as they were.
        String address = request.getRemoteAddr();
        users.get(username);
        Account.Role role = change.role() == null ? null : role(change.role());
        if (change.email() != null) {
            new MailPreference(change.email(), true);
        }
        if (change.enabled() != null) {
            users.setEnabled(caller, username, change.enabled(), address);
        }
        if (role != null) {
            accounts.changeRole(caller, username, role, address);
        }
        if (change.email() != null) {
            users.changeEmail(caller, username, change.email(), address);
        }
        return UserView.of(users.get(username));
    }

    @PostMapping("/api/v1/users/{username}/password")
    PasswordReset resetPassword(@AuthenticationPrincipal Account caller, @PathVariable String username,
                                @RequestBody(required = false) PasswordChange body, HttpServletRequest request) {
        admin(caller);
        var reset = users.resetPassword(caller, username, body == null ? null : body.password(), request.getRemoteAddr());
        return new PasswordReset(username, reset.generatedPassword());
    }

    private static void admin(Account caller) {
        if (!caller.isAdmin()) {
            throw new AccessDeniedException("managing users is for admins only");
        }
    }

    private static Account.Role role(String name) {
        for (Account.Role role : Account.Role.values()) {
            if (role.name().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new InvalidRequestException("Invalid role", "role is one of user, developer, admin; got " + name,
                List.of(new InvalidRequestException.FieldProblem("role", "is one of user, developer, admin")));
    }
}
