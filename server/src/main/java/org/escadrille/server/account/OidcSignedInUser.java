package org.escadrille.server.account;

import java.util.Map;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A person signed in to the portal through an OpenID provider: the same {@link SignedInUser} as a
 * password sign-in (so that pages, sessions and the audit log see one kind of user, named by their
 * username), which also carries what the provider said (Spring Security's login needs an {@link OidcUser}).
 */
final class OidcSignedInUser extends SignedInUser implements OidcUser {
    private final OidcIdToken idToken;
    private final OidcUserInfo userInfo;

    OidcSignedInUser(Account account, OidcIdToken idToken, OidcUserInfo userInfo) {
        // no password: this session was opened by the provider's word
        super(account.id(), account.username(), "", account.role(), true);
        this.idToken = idToken;
        this.userInfo = userInfo;
    }

    @Override
    public Map<String, Object> getClaims() {
        return idToken.getClaims();
    }

    @Override
    public OidcUserInfo getUserInfo() {
        return userInfo;
    }

    @Override
    public OidcIdToken getIdToken() {
        return idToken;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return idToken.getClaims();
    }

    /** The username, not the provider's subject: what the audit log and the session registry name. */
    @Override
    public String getName() {
        return getUsername();
    }

    // User's equality (by username) is what the session registry needs; the tokens add nothing to it.
    @Override
    public boolean equals(Object other) {
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
