package org.escadrille.pilot;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link Attempt} of a pilot shares: the server, the runner, how tasks are set up on this
 * host, and the pilot's choices about containers and working directories.
 *
 * @param workRoot        where each attempt gets its {@code <attemptId>} directory
 * @param containerRuntime the runtime found on this host, if any
 * @param logTicks        the thread that streams every attempt's logs
 * @param heartbeatNudge  asks for a prompt heartbeat (an attempt started running)
 * @param reporter        reports completions in batches, off the slots' threads
 */
record AttemptContext(
        Clock clock,
        String host,
        Path workRoot,
        ServerClient client,
        TaskRunner runner,
        TaskEnvironment environment,
        Optional<ContainerRuntime> containerRuntime,
        boolean allowNoContainer,
        boolean keepWorkdirs,
        SpareDirectories spares,
        ScheduledExecutorService logTicks,
        Runnable heartbeatNudge,
        CompletionReporter reporter) {
}
