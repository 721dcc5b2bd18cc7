package org.escadrille.server;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * SQL fragments rendered from enums, so that a status list in a query is spelled once, by the enum that
 * owns it, and follows it when a status is added.
 */
public final class SqlLists {
    private SqlLists() {
    }

    /** {@code IN ('A', 'B')} for the enum values given, in their iteration order (declaration order for an EnumSet). */
    public static String in(Collection<? extends Enum<?>> values) {
        if (values.isEmpty()) {
            // "IN ()" is no valid SQL: a caller with nothing to match has a bug, not an empty result.
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        return values.stream().map(value -> "'" + value.name() + "'").collect(Collectors.joining(", ", "IN (", ")"));
    }
}
