package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.group.GroupRole;
import org.escadrille.server.group.Groups;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page's groups section (the security chain keeps {@code /admin/**} for admins): create and
 * delete a group, add a member or change their role, remove one, and restrict an application version to
 * groups. Each goes back to the section with a notice; a refusal is the error page with what to fix.
 */
@Controller
class AdminGroupForms {
    private final Groups groups;
    private final Catalog catalog;

    AdminGroupForms(Groups groups, Catalog catalog) {
        this.groups = groups;
        this.catalog = catalog;
    }

    @PostMapping("/admin/groups")
    String create(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam(defaultValue = "") String name,
                  @RequestParam(defaultValue = "") String description, RedirectAttributes redirect, HttpServletRequest request) {
        groups.create(admin, name.strip(), description, request.getRemoteAddr());
        return back(redirect, "Group " + name.strip() + " created.");
    }

    @PostMapping("/admin/groups/delete")
    String delete(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam(defaultValue = "") String name,
                  RedirectAttributes redirect, HttpServletRequest request) {
        groups.delete(admin, name, request.getRemoteAddr());
        return back(redirect, "Group " + name + " deleted.");
    }

    @PostMapping("/admin/groups/members")
    String addMember(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam(defaultValue = "") String name,
                     @RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "MEMBER") String role,
                     RedirectAttributes redirect, HttpServletRequest request) {
        GroupRole groupRole;
        try {
            groupRole = GroupRole.valueOf(role.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid role", "a member's role is MEMBER or ADMIN, got '" + role + "'");
        }
        groups.putMember(admin, name, username.strip(), groupRole, request.getRemoteAddr());
        return back(redirect, username.strip() + " is " + (groupRole == GroupRole.ADMIN ? "an administrator" : "a member")
                + " of " + name + ".");
    }

    @PostMapping("/admin/groups/members/remove")
    String removeMember(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam(defaultValue = "") String name,
                        @RequestParam(defaultValue = "") String username, RedirectAttributes redirect, HttpServletRequest request) {
        groups.removeMember(admin, name, username, request.getRemoteAddr());
        return back(redirect, username + " left " + name + ".");
    }

    /** Restricts a version to the groups named (comma-separated); none makes it public. */
    @PostMapping("/admin/apps/groups")
    String restrict(@AuthenticationPrincipal(expression = "account") Account admin, @RequestParam(defaultValue = "") String app,
                    @RequestParam(defaultValue = "") String version, @RequestParam(defaultValue = "") String groupNames,
                    RedirectAttributes redirect) {
        List<String> names = Arrays.stream(groupNames.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
        for (String name : names) {
            if (!groups.exists(name)) {
                throw new InvalidRequestException("Invalid restriction", "no group named '" + name + "'");
            }
        }
        catalog.restrict(app.strip(), version.strip(), names, admin);
        return back(redirect, app.strip() + " " + version.strip() + (names.isEmpty() ? " is public." : " is restricted to "
                + String.join(", ", names) + "."));
    }

    private static String back(RedirectAttributes redirect, String notice) {
        redirect.addFlashAttribute("groupNotice", notice);
        return "redirect:/admin#groups-title";
    }
}
