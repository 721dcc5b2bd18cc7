package org.escadrille.server.account;

import org.springframework.context.ApplicationListener;
import org.springframework.security.core.session.AbstractSessionEvent;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/**
 * The portal's signed-in sessions, by user, so that disabling someone or resetting their password ends
 * the sessions they have open now (a session outlives the check made at sign-in). The registry forgets a
 * session when it ends (Spring Security's session events, published by {@code HttpSessionEventPublisher}).
 */
@Component
public class UserSessions implements ApplicationListener<AbstractSessionEvent> {
    private final SessionRegistryImpl registry = new SessionRegistryImpl();

    @Override
    public void onApplicationEvent(AbstractSessionEvent event) {
        registry.onApplicationEvent(event);
    }

    SessionRegistry registry() {
        return registry;
    }

    /** Ends every portal session of the user: their next request goes to the sign-in page. */
    void end(String username) {
        for (Object principal : registry.getAllPrincipals()) {
            if (principal instanceof UserDetails user && user.getUsername().equals(username)) {
                registry.getAllSessions(principal, false).forEach(SessionInformation::expireNow);
            }
        }
    }
}
