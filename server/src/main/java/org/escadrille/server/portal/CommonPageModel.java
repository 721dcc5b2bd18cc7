package org.escadrille.server.portal;

import org.escadrille.server.account.Account;
import org.escadrille.server.account.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page's model holds: who is signed in ({@code me}, null on the login page), for the header
 * and menu; and the links to files ({@code links}), which templates cannot build from beans inside
 * {@code th:href}.
 */
@ControllerAdvice(basePackageClasses = CommonPageModel.class)
class CommonPageModel {
    private final PortalLinks links;

    CommonPageModel(PortalLinks links) {
        this.links = links;
    }

    @ModelAttribute("me")
    Account me(@AuthenticationPrincipal SignedInUser user) {
        return user == null ? null : user.account();
    }

    @ModelAttribute("links")
    PortalLinks links() {
        return links;
    }
}
