package org.escadrille.server.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The queued tasks, handed out fairly: each pick goes to the user with the fewest running tasks
 * (ties: the one served least recently), within that user to the highest priority, then first in,
 * first out; a user at their quota of running slots waits. Not thread-safe: the {@link Scheduler}
 * owns it and calls it under its lock.
 */
final class FairShareQueue {
    private final Map<String, UserQueue> users = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final int quota;
    private long servedClock;
    private int size;

    /** @param quota most running tasks per user; 0 for no limit */
    FairShareQueue(int quota) {
        this.quota = quota;
    }

    void add(QueuedTask task) {
        users.computeIfAbsent(user(task), UserQueue::new).add(task);
        size++;
    }

    /** Hands out up to {@code slots} tasks that may start now on this pilot, fairly; each counts as running until released. */
    List<QueuedTask> take(int slots, long now, String pilotId) {
        return take(slots, now, pilotId, task -> true);
    }

    /** Like {@link #take(int, long, String)}, among the tasks that {@code which} accepts. */
    List<QueuedTask> take(int slots, long now, String pilotId, Predicate<QueuedTask> which) {
        var taken = new ArrayList<QueuedTask>(Math.min(slots, size));
        while (taken.size() < slots && size > 0) {
            UserQueue next = null;
            for (UserQueue candidate : users.values()) {
                int theirs = running.getOrDefault(candidate.user, 0);
                if (candidate.isEmpty() || (quota > 0 && theirs >= quota) || !candidate.hasEligible(pilotId, now, which)) {
                    continue;
                }
                if (next == null || compare(candidate, next) < 0) {
                    next = candidate;
                }
            }
            if (next == null) {
                break;
            }
            taken.add(next.poll(pilotId, now, which));
            next.servedAt = ++servedClock;
            running.merge(next.user, 1, Integer::sum);
            size--;
            if (next.isEmpty()) {
                users.remove(next.user);
            }
        }
        return taken;
    }

    private int compare(UserQueue a, UserQueue b) {
        int byRunning = Integer.compare(running.getOrDefault(a.user, 0), running.getOrDefault(b.user, 0));
        return byRunning != 0 ? byRunning : Long.compare(a.servedAt, b.servedAt);
    }

    /** A task of this user stopped running (ended, lost, cancelled), or was found running at startup ({@code delta} 1). */
    void running(String user, int delta) {
        int now = Math.max(0, running.getOrDefault(user, 0) + delta);
        if (now == 0) {
            running.remove(user);
        } else {
            running.put(user, now);
        }
    }

    void removeIf(Predicate<QueuedTask> which) {
        for (Iterator<UserQueue> it = users.values().iterator(); it.hasNext(); ) {
            UserQueue queue = it.next();
            size -= queue.removeIf(which);
            if (queue.isEmpty()) {
                it.remove();
            }
        }
    }

    Stream<QueuedTask> stream() {
        return users.values().stream().flatMap(UserQueue::stream);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Milliseconds until the earliest task held back (backoff, or avoiding a pilot) may go, or -1 if none waits. */
    long nextBackoffEnd(long now) {
        return stream().mapToLong(t -> Math.max(t.notBeforeMs(), t.avoidPilot() == null ? 0 : Math.min(t.avoidUntilMs(), now + 60_000)))
                .filter(t -> t > now).map(t -> t - now).min().orElse(-1);
    }

    static String user(QueuedTask task) {
        return task.task().owner().username();
    }

    /** One user's tasks: by priority (highest first), then in order of arrival. */
    private static final class UserQueue {
        final String user;
        final TreeMap<Integer, ArrayDeque<QueuedTask>> byPriority = new TreeMap<>(Comparator.reverseOrder());
        long servedAt;

        UserQueue(String user) {
            this.user = user;
        }

        void add(QueuedTask task) {
            byPriority.computeIfAbsent(task.task().priority(), p -> new ArrayDeque<>()).add(task);
        }

        boolean isEmpty() {
            return byPriority.isEmpty();
        }

        boolean hasEligible(String pilotId, long now, Predicate<QueuedTask> which) {
            for (var tasks : byPriority.values()) {
                for (QueuedTask task : tasks) {
                    if (task.eligible(pilotId, now) && which.test(task)) {
                        return true;
                    }
                }
            }
            return false;
        }

        QueuedTask poll(String pilotId, long now, Predicate<QueuedTask> which) {
            for (var it = byPriority.entrySet().iterator(); it.hasNext(); ) {
                var tasks = it.next().getValue();
                for (Iterator<QueuedTask> inner = tasks.iterator(); inner.hasNext(); ) {
                    QueuedTask task = inner.next();
                    if (task.eligible(pilotId, now) && which.test(task)) {
                        inner.remove();
                        if (tasks.isEmpty()) {
                            it.remove();
                        }
                        return task;
                    }
                }
            }
            throw new IllegalStateException("no eligible task for " + user);
        }

        int removeIf(Predicate<QueuedTask> which) {
            int removed = 0;
            for (var it = byPriority.values().iterator(); it.hasNext(); ) {
                var tasks = it.next();
                int before = tasks.size();
                tasks.removeIf(which);
                removed += before - tasks.size();
                if (tasks.isEmpty()) {
                    it.remove();
                }
            }
            return removed;
        }

        Stream<QueuedTask> stream() {
            return byPriority.values().stream().flatMap(ArrayDeque::stream);
        }
    }
}
