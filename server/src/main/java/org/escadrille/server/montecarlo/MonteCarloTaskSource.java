package org.escadrille.server.montecarlo;

import java.util.Optional;
import org.escadrille.server.account.Account;
import org.escadrille.server.scheduling.TaskDefinition;

/**
 * Makes one more task of a Monte-Carlo execution with the given share of events and seed: the
 * engine renders it like any other task of the execution. Implemented by the execution feature.
 */
public interface MonteCarloTaskSource {
    TaskDefinition create(String executionId, int index, long events, long seed, Split split);

    /** What a run needs after a restart: its spec, owner and output directory; empty if not Monte-Carlo. */
    Optional<RunContext> reload(String executionId);

    /** A run's context, rebuilt from its execution. */
    record RunContext(MonteCarloSpec spec, Account owner, String outputDir) {
    }
}
