package org.escadrille.server.account;

import java.util.Optional;

/**
 * Checks a pilot's bearer token, answering the pilot's id. Implemented where pilots are known (the
 * scheduler's pilot registry), so that accounts need not know about scheduling.
 */
public interface PilotTokenVerifier {
    Optional<String> verify(String token);
}
