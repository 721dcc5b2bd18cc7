package org.escadrille.boutiques;

import java.math.BigDecimal;

/** What the tool author suggests a run needs; any field may be null. RAM and disk in GB, walltime in seconds. */
public record SuggestedResources(Long cpuCores, BigDecimal ramGb, BigDecimal diskSpaceGb, Long nodes,
        BigDecimal walltimeEstimateSeconds) {
}
