package org.escadrille.bench;

/**
 * The measurements of one Escadrille run of {@code bench/run dispatch} (seconds from the POST).
 *
 * @param backgroundCores cores used by other processes during the run
 * @param wallS           POST sent to Finished observed (polling every 400 ms, as the CLI does)
 * @param apiS            the execution's createdAt to endedAt
 * @param postS           the POST's latency: planning the sweep, inserting and queueing its tasks
 * @param firstLeaseS     the first task leased
 * @param firstStartS     the first task started
 * @param lastEndS        the last task ended
 * @param tasksPerS       tasks ended per second between the first start and the last end
 * @param leaseToStartMs  mean time from a task's lease to its start (the pilot's preparation)
 * @param startToEndMs    mean time from a task's start to its end (running {@code true}, reporting)
 * @param occupancy       share of the two slots' time between the first lease and the last end held by a task
 * @param serverCpuS      CPU seconds of the JVM holding the server, during the run
 * @param pilotCpuS       CPU seconds of the pilot's JVM
 * @param taskCpuS        CPU seconds of the tasks (the pilot's reaped children)
 */
record DispatchRun(int run, int tasks, String status, double load1, double backgroundCores, double wallS, double apiS, double postS,
                   double firstLeaseS, double firstStartS, double lastEndS, double tasksPerS, double leaseToStartMs,
                   double startToEndMs, double occupancy, double serverCpuS, double pilotCpuS, double taskCpuS) {
}
