package org.escadrille.server.account;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An API call's credentials ({@code apikey} header) before checking, and its {@link Account} after. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {
    private final String key;
    private final Account account;

    private ApiKeyAuthentication(String key, Account account) {
        super(account == null ? List.of() : List.of(new SimpleGrantedAuthority(account.role().authority())));
        this.key = key;
        this.account = account;
        setAuthenticated(account != null);
    }

    static ApiKeyAuthentication unchecked(String key) {
        return new ApiKeyAuthentication(key, null);
    }

    static ApiKeyAuthentication of(Account account) {
        return new ApiKeyAuthentication(null, account);
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    @Override
    public Object getPrincipal() {
        return account;
    }
}
