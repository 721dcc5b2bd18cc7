package org.escadrille.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.Reply;
import org.escadrille.cli.api.UnreachableException;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.cli.terminal.ProgressLines;

/** Polls an execution until it ends, drawing its progress line meanwhile. */
final class ExecutionWatcher {
    private final GatewayClient client;
    private final ProgressBar bar;
    private final Clock clock;
    private final Duration interval;

    ExecutionWatcher(GatewayClient client, ProgressBar bar, Clock clock, Duration interval) {
        this.client = client;
        this.bar = bar;
        this.clock = clock;
        this.interval = interval;
    }

    /** Returns the execution as it ended (with its outputs, which only the single-execution call lists). */
    Reply<Execution> awaitEnd(String executionId) {
        Instant start = clock.instant();
        while (true) {
            Reply<Execution> reply = client.execution(executionId);
            Execution execution = reply.value();
            String line = ProgressLines.execution(execution, Duration.between(start, clock.instant()));
            if (execution.ended()) {
                bar.finish(line);
                return reply;
            }
            bar.show(ProgressLines.executionMilestone(execution), line);
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw UnreachableException.interrupted(client.baseUrl());
            }
        }
    }
}
