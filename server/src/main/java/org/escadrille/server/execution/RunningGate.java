package org.escadrille.server.execution;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.escadrille.server.ConflictException;
import org.escadrille.server.account.Account;
import org.escadrille.server.limits.RunningLimit;
import org.escadrille.server.limits.RunningLimits;
import org.springframework.stereotype.Component;

/**
 * The limit on each user's executions not ended at once, at launch and when a waiting launch may start.
 * Each decision and the write that follows it are made under the owner's lock, so that two launches at
 * once cannot both take the last place, nor two ends both start the same waiting launch.
 */
@Component
class RunningGate {
    private final RunningLimits limits;
    private final ExecutionRepository executions;
    private final ConcurrentHashMap<String, ReentrantLock> owners = new ConcurrentHashMap<>();

    RunningGate(RunningLimits limits, ExecutionRepository executions) {
        this.limits = limits;
        this.executions = executions;
    }

    /**
     * Admits a launch of {@code owner}: {@code insert} is called, under the owner's lock, with null for a
     * launch that starts now or with the reason it waits.
     *
     * @param mayWait false for a launch that cannot wait (a re-run of what failed), refused instead
     * @throws ConflictException past the limit with {@code escadrille.limits.over-limit=refuse}, saying which limit and the counts
     */
    void admit(Account owner, boolean mayWait, Consumer<String> insert) {
        var lock = owners.computeIfAbsent(owner.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            var limit = limits.of(owner.username());
            if (!limit.limited()) {
                insert.accept(null);
                return;
            }
            int running = executions.running(owner.id());
            boolean queue = limits.queueOverLimit() && mayWait;
            // first come, first started: a launch behind others that wait waits too
            boolean othersWait = queue && executions.waitingCount(owner.id()) > 0;
            if (limit.allowsOneMore(running) && !othersWait) {
                insert.accept(null);
                return;
            }
            String why = over(owner.username(), running, limit);
            if (!queue) {
                throw new ConflictException(why + "; wait for one to end or kill one"
                        + (mayWait ? "" : " (a re-run of what failed starts at once or not at all)"));
            }
            insert.accept(why + "; it starts when one of them ends");
        } finally {
            lock.unlock();
        }
    }

    /** Takes the owner's oldest waiting launch out of waiting when their limit has room for it. */
    Optional<ExecutionRepository.Waiting> next(String ownerId, String username) {
        var lock = owners.computeIfAbsent(ownerId, id -> new ReentrantLock());
        lock.lock();
        try {
            if (!limits.of(username).allowsOneMore(executions.running(ownerId))) {
                return Optional.empty();
            }
            while (true) {
                var oldest = executions.oldestWaiting(ownerId);
                if (oldest.isEmpty() || executions.stopWaiting(oldest.get().executionId())) {
                    return oldest;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    RunningExecutions count(Account owner) {
        return new RunningExecutions(executions.running(owner.id()), executions.waitingCount(owner.id()),
                limits.of(owner.username()));
    }

    /** Why the owner's launches wait, as things stand. */
    String whyWaiting(String ownerId, String username) {
        var limit = limits.of(username);
        if (!limit.limited()) {
            return "its turn to start has come: it starts in a moment";
        }
        return over(username, executions.running(ownerId), limit) + "; it starts when one of them ends";
    }

    /** Which limit, where it comes from and the counts, for the refusal or the waiting launch. */
    static String over(String username, int running, RunningLimit limit) {
        String source = switch (limit.source()) {
            case "user" -> username + "'s own limit";
            case "default" -> "escadrille.limits.max-running-executions";
            default -> "the limit of " + limit.source() + ", the most generous of " + username + "'s groups";
        };
        return "over the limit of running executions: " + username + " has " + running + " not ended, the most allowed is "
                + limit.max() + " (" + source + ")";
    }
}
