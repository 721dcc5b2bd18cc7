/**
 * Monte-Carlo runs: the descriptor's declaration, dynamic and static splits, stop targets and stop and
 * merge, the mergers of partial results, checkpoints and replays. Owns the {@code mc_runs},
 * {@code mc_tasks} and {@code merged_outputs} tables (its tasks' outcomes come from scheduling's
 * {@code TaskQueries}); uses {@code account}, {@code catalog} (to check
 * its section at publication), {@code scheduling} and {@code storage}, and makes new tasks through
 * {@code MonteCarloTaskSource}, which {@code execution} implements.
 */
package org.escadrille.server.montecarlo;
