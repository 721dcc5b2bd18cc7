package org.escadrille.server.execution;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import org.escadrille.boutiques.Input;

/**
 * The base seed of a Monte-Carlo run launched without one. The descriptor's default seed would make
 * every such launch the same sample ("Run again" gave the same estimate, to the last digit); a seed
 * drawn per launch makes each a new one, and the run records it (each task's seed) so that a replay
 * is still exact. Drawn within the seed input's bounds, below 2^31 (tools often read a seed as an
 * int), with room above it for one seed per task (base seed + task index).
 */
final class SeedDraw {
    private static final long HIGHEST = Integer.MAX_VALUE;
    private static final long ROOM_FOR_TASKS = 1_000_000;
    private static final RandomGenerator RANDOM = new SecureRandom();

    private SeedDraw() {
    }

    static long draw(Input seedInput) {
        long low = 1;
        long high = HIGHEST;
        if (seedInput.minimum() != null) {
            low = Math.max(low, bound(seedInput.minimum(), RoundingMode.CEILING) + (seedInput.exclusiveMinimum() ? 1 : 0));
        }
        if (seedInput.maximum() != null) {
            high = Math.min(high, bound(seedInput.maximum(), RoundingMode.FLOOR) - (seedInput.exclusiveMaximum() ? 1 : 0));
        }
        if (high - low > 2 * ROOM_FOR_TASKS) {
            high -= ROOM_FOR_TASKS;
        }
        return high <= low ? low : RANDOM.nextLong(low, high + 1);
    }

    private static long bound(BigDecimal value, RoundingMode rounding) {
        var whole = value.setScale(0, rounding);
        return whole.compareTo(BigDecimal.valueOf(HIGHEST)) > 0 ? HIGHEST
                : whole.compareTo(BigDecimal.valueOf(-HIGHEST)) < 0 ? -HIGHEST : whole.longValueExact();
    }
}
