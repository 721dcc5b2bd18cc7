package org.escadrille.server.account;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A pilot's bearer token before checking, and the pilot's id (the principal) after. */
public final class PilotAuthentication extends AbstractAuthenticationToken {
    static final String AUTHORITY = "PILOT";
    private final String token;
    private final String pilotId;

    private PilotAuthentication(String token, String pilotId) {
        super(pilotId == null ? List.of() : List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.token = token;
        this.pilotId = pilotId;
        setAuthenticated(pilotId != null);
    }

    static PilotAuthentication unchecked(String token) {
        return new PilotAuthentication(token, null);
    }

    static PilotAuthentication of(String pilotId) {
        return new PilotAuthentication(null, pilotId);
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
}
