package org.escadrille.server.account;

import java.util.Optional;

/**
 * Checks a pilot's bearer token, answering the pilot's id or why the token is refused. Implemented
 * where pilots are known (the scheduler's pilot registry), so that accounts need not know about
 * scheduling.
 */
public interface PilotTokenVerifier {

    /** The token of an {@code Authorization: Bearer <token>} header (the scheme in any case), if it is one. */
    static Optional<String> bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).strip());
    }

    /**
     * What {@code token} proves for one call: a registration token is good for the registration only
     * ({@code registering}), a session token for every other call.
     */
    Verdict verify(String token, boolean registering);

    /** The outcome of a check. */
    sealed interface Verdict {
    }

    /**
     * The token is good for this call.
     *
     * @param tokenId which of the pilot's tokens it is (its hash), so that the protocol can tell an old
     *                session token from the newest
     */
    record Accepted(String pilotId, String tokenId) implements Verdict {
    }

    /** The token is not good for this call; {@code reason} says why and what to do (it is sent to the pilot). */
    record Refused(String reason) implements Verdict {
    }

    /**
     * The token is good, but no pilot more can register with it now (its site has as many as it may
     * have): a 503 that the pilot retries later.
     */
    record Busy(String reason) implements Verdict {
    }
}
