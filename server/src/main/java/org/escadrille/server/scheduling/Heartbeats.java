package org.escadrille.server.scheduling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.Order;

/**
 * Heartbeats and the orders they carry back: a heartbeat renews its attempts' leases and reports their
 * start, progress, usage and checkpoints; its reply hands over the orders waiting for them (cancel, stop,
 * abandon) and the Monte-Carlo tasks' stop targets. Kills and stops of executions leave orders here.
 */
final class Heartbeats {
    private final SchedulerState state;
    private final TaskRepository tasks;
    private final AttemptEnding ending;
    private final TaskLifecycleListener listener;
    private final HeartbeatPace pace;
    private final Clock clock;
    /**
     * Attempts reported running, written with those of the other heartbeats that arrive meanwhile, after
     * the lock: a transaction each under the lock kept every lease and completion waiting (issue 18).
     */
    private final GroupCommit<List<TaskRepository.Started>, Boolean> startedWrites;

    Heartbeats(SchedulerState state, TaskRepository tasks, AttemptEnding ending, TaskLifecycleListener listener,
               HeartbeatPace pace, Clock clock) {
        this.state = state;
        this.tasks = tasks;
        this.ending = ending;
        this.listener = listener;
        this.pace = pace;
        this.clock = clock;
        this.startedWrites = GroupCommit.ofWaiting("started-writes", this::writeStarted);
    }

    private List<Boolean> writeStarted(List<List<TaskRepository.Started>> heartbeats) {
        tasks.markRunning(heartbeats.stream().flatMap(List::stream).toList());
        return heartbeats.stream().map(started -> true).toList();
    }

    /** Stops taking writes; heartbeats that still bring started attempts are answered 503 and sent again. */
    void close() {
        startedWrites.close();
    }

    HeartbeatReply heartbeat(String pilotId, Heartbeat heartbeat) {
        long now = clock.millis();
        // The interval the reply tells and the lease renewed with it, read once: they go together.
        long intervalMs = pace.intervalMs();
        long leaseMs = pace.leaseFor(intervalMs);
        var orders = new ArrayList<Order>();
        var started = new ArrayList<Lease>();
        var progressed = new ArrayList<Lease>();
        var checkpointed = new ArrayList<Lease>();
        boolean reportsProgress = state.update(() -> {
            boolean progress = false;
            for (var status : heartbeat.attempts()) {
                Lease lease = state.leases.get(status.attemptId());
                if (lease == null || !lease.pilotId.equals(pilotId)) {
                    orders.add(new Order(status.attemptId(), Order.Kind.ABANDON));
                    continue;
                }
                lease.deadlineMs = now + leaseMs;
                if (status.events() >= 0 && status.events() != lease.events) {
                    lease.events = status.events();
                    progressed.add(lease);
                }
                if (status.cpuSeconds() != null && status.rssKb() != null) {
                    long peak = Math.max(status.rssKb(), lease.usage == null ? 0 : lease.usage.peakRssKb());
                    lease.usage = new LiveUsage(status.cpuSeconds(), status.rssKb(), peak);
                }
                if (status.checkpoint() > lease.checkpoint) {
                    lease.checkpoint = status.checkpoint();
                    checkpointed.add(lease);
                }
                progress |= lease.definition().spec().progress() != null;
                if (status.phase() == Heartbeat.Phase.UPLOADING) {
                    lease.commandEnded = true;
                }
                if (status.phase() == Heartbeat.Phase.RUNNING && lease.startedAtMs == 0) {
                    lease.startedAtMs = status.startedAtMs() > 0 ? status.startedAtMs() : now;
                    started.add(lease);
                }
                takeOrder(status.attemptId(), orders);
            }
            return progress;
        });
        if (!started.isEmpty()) {
            startedWrites.write(started.stream()
                    .map(lease -> new TaskRepository.Started(lease.definition().id(), lease.attemptId, lease.startedAtMs)).toList());
            started.forEach(lease -> listener.taskStarted(lease.definition().executionId()));
        }
        checkpointed.forEach(lease -> ending.checkpointed(lease.attemptId, lease.checkpoint));
        progressed.forEach(lease -> listener.progress(lease.definition().executionId(), lease.definition().id(), lease.events));
        var stopAt = new HashMap<String, Long>();
        if (reportsProgress) {
            // This very heartbeat may have reached a Monte-Carlo total, or moved the tasks' shares of it:
            // its own pilot learns it now, not next time.
            state.write(() -> {
                for (var status : heartbeat.attempts()) {
                    takeOrder(status.attemptId(), orders);
                    Lease lease = state.leases.get(status.attemptId());
                    Long target = lease == null ? null : state.stopTarget(lease.definition());
                    if (target != null && lease.pilotId.equals(pilotId)) {
                        stopAt.put(status.attemptId(), target);
                    }
                }
            });
        }
        // Tasks that report progress may be told to stop at any moment: ask for heartbeats often.
        return new HeartbeatReply(orders, false, false, reportsProgress ? Scheduler.PROGRESS_HEARTBEAT_MS : 0, stopAt,
                null, intervalMs);
    }

    /** Under the lock. */
    private void takeOrder(String attemptId, List<Order> orders) {
        Order.Kind order = state.pendingOrders.remove(attemptId);
        if (order != null) {
            orders.add(new Order(attemptId, order));
        }
    }

    Map<String, LiveUsage> liveUsage(Collection<String> attemptIds) {
        return state.read(() -> {
            var usage = new HashMap<String, LiveUsage>();
            for (String id : attemptIds) {
                Lease lease = state.leases.get(id);
                if (lease != null && lease.usage != null) {
                    usage.put(id, lease.usage);
                }
            }
            return usage;
        });
    }

    /**
     * Kills an execution: its queued tasks are dropped, its running ones ordered to cancel.
     *
     * @return the pilots that hold its running ones, whose orders wait for them
     */
    Set<String> cancelExecution(String executionId) {
        long now = clock.millis();
        return state.update(() -> {
            dropQueued(executionId);
            var pilots = orderRunning(executionId, Order.Kind.CANCEL);
            tasks.cancelLiveTasks(executionId, now);
            return pilots;
        });
    }

    /**
     * A Monte-Carlo total is reached: the running tasks are told to stop (a cancel already sent stays).
     *
     * @return the pilots that hold them, whose orders wait for them
     */
    Set<String> stopExecution(String executionId) {
        long now = clock.millis();
        return state.update(() -> {
            dropQueued(executionId);
            var pilots = orderRunning(executionId, Order.Kind.STOP);
            tasks.cancelQueuedTasks(executionId, now);
            return pilots;
        });
    }

    /**
     * Leaves {@code kind} for each running attempt of an execution (a cancel replaces any order waiting; any other
     * order leaves one waiting in place) and returns the pilots that hold them. Under the lock.
     */
    private Set<String> orderRunning(String executionId, Order.Kind kind) {
        var pilots = new HashSet<String>();
        state.leasesOfExecution(executionId).forEach(lease -> {
            if (kind == Order.Kind.CANCEL) {
                state.pendingOrders.put(lease.attemptId, kind);
            } else {
                state.pendingOrders.putIfAbsent(lease.attemptId, kind);
            }
            pilots.add(lease.pilotId);
        });
        return pilots;
    }

    /** Under the lock. */
    private void dropQueued(String executionId) {
        state.queue.removeIf(q -> q.definition().executionId().equals(executionId));
        state.stopTargets.remove(executionId);
    }

    void stopTargets(String executionId, Map<String, Long> targets) {
        state.write(() -> {
            if (targets.isEmpty()) {
                state.stopTargets.remove(executionId);
            } else {
                state.stopTargets.put(executionId, Map.copyOf(targets));
            }
        });
    }
}
