package org.escadrille.server.portal;

import org.escadrille.server.account.OidcAccounts;
import org.escadrille.server.account.SignedInUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The account page says who vouches for an account made at an institutional sign-in (docs/oidc.md), which
 * has no password of its own: its password form would otherwise ask for one its owner never had.
 */
@ControllerAdvice(assignableTypes = AccountPage.class)
class InstitutionalSignInModel {
    private final OidcAccounts accounts;

    InstitutionalSignInModel(OidcAccounts accounts) {
        this.accounts = accounts;
    }

    @ModelAttribute("signInIssuer")
    String signInIssuer(@AuthenticationPrincipal SignedInUser user) {
        return user == null ? null : accounts.issuerOf(user.account()).orElse(null);
    }
}
