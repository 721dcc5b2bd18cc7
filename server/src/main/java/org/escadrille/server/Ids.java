package org.escadrille.server;

import java.security.SecureRandom;

/** Identifiers of executions, tasks, attempts and pilots: short, random, safe in paths and URLs. */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** Twelve characters of Crockford's base 32: 60 random bits. */
    public static String newId() {
        char[] id = new char[12];
        long bits = RANDOM.nextLong();
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id);
    }

    /** A secret of 256 random bits, hex-encoded (API keys and pilot tokens). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
