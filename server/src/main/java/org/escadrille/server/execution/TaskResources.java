package org.escadrille.server.execution;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.escadrille.boutiques.SuggestedResources;
import org.escadrille.server.scheduling.TaskSpec;

/**
 * A descriptor's {@code suggested-resources} as its tasks carry them: {@code cpu-cores} (default 1),
 * {@code ram} in GB (taken as GiB, rounded up to whole MiB; default none) and {@code walltime-estimate}
 * in seconds (rounded up; default none). The catalogue's validation has already refused negative or
 * fractional core counts.
 */
final class TaskResources {
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);

    private TaskResources() {
    }

    static TaskSpec.Resources of(SuggestedResources suggested) {
        if (suggested == null) {
            return TaskSpec.Resources.DEFAULT;
        }
        int cores = suggested.cpuCores() == null ? 1 : Math.clamp(suggested.cpuCores(), 1, Integer.MAX_VALUE);
        long memoryMb = suggested.ramGb() == null ? 0 : wholeUp(suggested.ramGb().multiply(MIB_PER_GIB));
        long walltime = suggested.walltimeEstimateSeconds() == null ? 0 : wholeUp(suggested.walltimeEstimateSeconds());
        return new TaskSpec.Resources(cores, memoryMb, walltime);
    }

    /** Rounded up, at least 0, at most {@code Long.MAX_VALUE}. */
    private static long wholeUp(BigDecimal value) {
        BigDecimal up = value.max(BigDecimal.ZERO).setScale(0, RoundingMode.CEILING);
        return up.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : up.longValueExact();
    }
}
