package org.escadrille.server;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Identifiers of executions, tasks, attempts and pilots: short, safe in paths and URLs, and ordered by
 * creation time. An id is no secret (every request is checked against its owner or its lease).
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TIME_CHARS = 9;
    private static final int COUNTER_CHARS = 7;
    private static final long COUNTER_LIMIT = 1L << (5 * COUNTER_CHARS);
    private static long lastMs;
    private static long counter;

    private Ids() {
    }

    /**
     * Sixteen characters of Crockford's base 32, which sort as they were made: the time in milliseconds
     * (45 bits), then 35 bits that start at random each millisecond and count up within it (so ids of
     * one server never collide). Rows inserted together therefore sit together in the database's
     * indexes, and a commit of many new attempts rewrites a few index pages instead of one per row
     * (random ids cost the dispatch benchmark a third of the server's time in H2's page writes).
     */
    public static synchronized String newId() {
        // The system clock, not the Clock bean: ids are made everywhere, in tests and before the context
        // exists, and no rule depends on their time (a fixed clock would only make them count up in one ms).
        long ms = System.currentTimeMillis();
        if (ms > lastMs) {
            lastMs = ms;
            // The lower half: room to count up from it.
            counter = RANDOM.nextLong() & (COUNTER_LIMIT / 2 - 1);
        } else if (++counter == COUNTER_LIMIT) {
            // 2^34 ids in one millisecond: borrow the next one.
            lastMs++;
            counter = 0;
        }
        char[] id = new char[TIME_CHARS + COUNTER_CHARS];
        long time = lastMs;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long count = counter;
        for (int i = id.length - 1; i >= TIME_CHARS; i--) {
            id[i] = ALPHABET[(int) (count & 31)];
            count >>>= 5;
        }
        return new String(id);
    }

    /** A secret of 256 random bits, hex-encoded (API keys and pilot tokens). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
