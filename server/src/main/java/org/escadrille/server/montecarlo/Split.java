package org.escadrille.server.montecarlo;

import java.util.Locale;

/**
 * How a Monte-Carlo execution is split into tasks: dynamically (every task aims at the whole total
 * and all are stopped when the sum reaches it), statically (N tasks of total/N events, the classic
 * way, kept for comparison and for exact replays), or not at all (one ordinary task).
 */
public enum Split {
    DYNAMIC, STATIC, NONE;

    /** Parses {@code dynamic}, {@code static} or {@code none}; null for anything else. */
    public static Split parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "dynamic" -> DYNAMIC;
            case "static" -> STATIC;
            case "none" -> NONE;
            default -> null;
        };
    }
}
