package org.escadrille.server.account;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A pilot's bearer token before checking (and whether it is presented to register), and the pilot's
 * id (the principal) after, with the id of the token that proved it as the details.
 */
public final class PilotAuthentication extends AbstractAuthenticationToken {
    static final String AUTHORITY = "PILOT";
    private final String token;
    private final boolean registering;
    private final String pilotId;

    private PilotAuthentication(String token, boolean registering, String pilotId, String tokenId) {
        super(pilotId == null ? List.of() : List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.token = token;
        this.registering = registering;
        this.pilotId = pilotId;
        setDetails(tokenId);
        setAuthenticated(pilotId != null);
    }

    static PilotAuthentication unchecked(String token, boolean registering) {
        return new PilotAuthentication(token, registering, null, null);
    }

    static PilotAuthentication of(String pilotId, String tokenId) {
        return new PilotAuthentication(null, false, pilotId, tokenId);
    }

    /** Whether the token is presented for the registration (the only call a registration token is good for). */
    boolean registering() {
        return registering;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    /** The pilot's id. */
    @Override
    public Object getPrincipal() {
        return pilotId;
    }

    /** The id of the token that proved the call, once checked. */
    public String tokenId() {
        return (String) getDetails();
    }
}
