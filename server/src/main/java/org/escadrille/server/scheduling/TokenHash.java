package org.escadrille.server.scheduling;

import org.escadrille.protocol.Sha256;

/** SHA-256 of a pilot token: tokens are random, so a fast hash is as safe as a slow one. */
final class TokenHash {
    private TokenHash() {
    }

    static String of(String token) {
        return Sha256.of(token);
    }
}
