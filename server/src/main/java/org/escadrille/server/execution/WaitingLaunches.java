package org.escadrille.server.execution;

import java.time.Clock;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.limits.RunningLimitChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the launches that wait for their owner to be under the limit on running executions
 * ({@code escadrille.limits.over-limit=queue}): when one of the owner's executions ends, when an admin
 * changes a limit, and at start-up (a waiting launch is only a row, so it survives a restart). Each start
 * runs on a virtual thread: it plans the launch again, which reads its files, and must not hold up the
 * thread that ended the execution (a pilot's completion).
 */
@Component
class WaitingLaunches {
    private static final Logger log = LoggerFactory.getLogger(WaitingLaunches.class);

    private final RunningGate gate;
    private final ExecutionRepository executions;
    private final ExecutionService service;
    private final AccountService accounts;
    private final JsonMapper json;
    private final Clock clock;

    WaitingLaunches(RunningGate gate, ExecutionRepository executions, ExecutionService service, AccountService accounts,
                    JsonMapper json, Clock clock) {
        this.gate = gate;
        this.executions = executions;
        this.service = service;
        this.accounts = accounts;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    void ended(ExecutionEnded ended) {
        inBackground(() -> startFor(ended.ownerId()));
    }

    @EventListener({RunningLimitChanged.class, ApplicationReadyEvent.class})
    void limitsMayHaveRoom() {
        inBackground(() -> executions.ownersWaiting().forEach(this::startFor));
    }

    private static void inBackground(Runnable work) {
        Thread.ofVirtual().name("waiting-launches").start(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                // the server stopping under it (its database closed); the next end or start looks again
                log.warn("waiting launches not looked at: {}", e.toString());
            }
        });
    }

    /** Starts the owner's waiting launches, oldest first, while their limit has room. */
    void startFor(String ownerId) {
        // most ends leave nothing waiting: one count, then nothing more
        if (executions.waitingCount(ownerId) == 0) {
            return;
        }
        var owner = executions.ownerName(ownerId).flatMap(accounts::findByUsername);
        if (owner.isEmpty()) {
            return;
        }
        while (true) {
            var next = gate.next(ownerId, owner.get().username());
            if (next.isEmpty()) {
                return;
            }
            var waiting = next.get();
            try {
                service.startWaiting(owner.get(), waiting.executionId(), waiting.outputDir(),
                        json.readValue(waiting.request(), LaunchRequest.class));
                log.info("execution {} of {} starts: it no longer waits for another to end", waiting.executionId(),
                        waiting.ownerName());
            } catch (RuntimeException e) {
                // An input deleted, an application withdrawn while it waited: it fails as a launch would have.
                executions.transition(waiting.executionId(), ExecutionStatus.InitializationFailed,
                        "could not start after waiting: " + e.getMessage(), clock.millis());
                log.info("execution {} of {} could not start after waiting: {}", waiting.executionId(),
                        waiting.ownerName(), e.getMessage());
            }
        }
    }
}
