package org.escadrille.server.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The queued tasks, handed out fairly: each pick goes to the user with the fewest running tasks
 * (ties: the one served least recently), within that user to the highest priority, then first in,
 * first out, among the tasks the pilot may take; a user at their quota of running slots waits. Not
 * thread-safe: {@link SchedulerState} holds it, and it is called under that lock.
 *
 * <p>A pick does not scan every user: users with queued tasks are kept in that order, and a pick walks
 * them from the front to the first with a task for this pilot. A user's tasks are split into lanes by
 * kind (pilot tags, cores, memory; Monte-Carlo or not), so a pilot never looks at tasks needing a tag
 * it lacks or more than it has free, which would otherwise pile up at the front of every user's queue
 * and be passed over again on every pick.
 */
final class FairShareQueue {
    /** Users with queued tasks or running ones. */
    private final Map<String, User> users = new HashMap<>();
    /** Users with queued tasks, in turn order; one is taken out before a field that order reads changes. */
    private final TreeSet<User> waiting = new TreeSet<>(FairShareQueue::inTurn);
    /**
     * Task id to how many of its attempts are queued (rarely more than one: a straggler's replica beside a
     * retry of its task): whether a task has an attempt queued is a look-up, not a walk of the whole queue under the
     * scheduler's lock at every replicated attempt's ending.
     */
    private final Map<String, Integer> queuedPerTask = new HashMap<>();
    /** Execution id to how many of its attempts are queued: a Monte-Carlo run asks at each fill, without a walk. */
    private final Map<String, Integer> queuedPerExecution = new HashMap<>();
    /**
     * The queued attempts held back (a retry's backoff, a pilot to avoid), the only ones that say when the lease
     * hand-off must look again ({@link #nextBackoffEnd}). It asks after every pass that leaves requests waiting,
     * which happens at each of their deadlines while tasks are queued that none of them may take (a user at their
     * quota, tags no waiting pilot has); walking the whole queue there cost each pass 3.4 ms under the
     * scheduler's lock with 150,000 tasks queued, this set 0.2 µs ({@code bench/run scans}, bench/README.md).
     */
    private final Set<QueuedTask> heldBack = Collections.newSetFromMap(new IdentityHashMap<>());
    private final int quota;
    private long servedClock;
    private long arrivals;
    private int size;

    /** @param quota most running tasks per user; 0 for no limit */
    FairShareQueue(int quota) {
        this.quota = quota;
    }

    void add(QueuedTask task) {
        User user = users.computeIfAbsent(user(task), User::new);
        if (!user.hasQueued()) {
            waiting.add(user);
        }
        user.add(new Queued(task, ++arrivals));
        size++;
        queuedPerTask.merge(task.definition().id(), 1, Integer::sum);
        queuedPerExecution.merge(task.definition().executionId(), 1, Integer::sum);
        if (task.notBeforeMs() > 0 || task.avoidPilot() != null) {
            heldBack.add(task);
        }
    }

    /** Whether an attempt of the task is queued. */
    boolean holds(String taskId) {
        return queuedPerTask.containsKey(taskId);
    }

    /** How many attempts of the execution's tasks are queued. */
    int queuedOf(String executionId) {
        return queuedPerExecution.getOrDefault(executionId, 0);
    }

    /** Removes the task's queued attempts, if it has any (only then is the queue walked). */
    void removeTask(String taskId) {
        if (holds(taskId)) {
            removeIf(queued -> queued.definition().id().equals(taskId));
        }
    }

    /** A queued attempt left the queue (taken or removed). */
    private void left(QueuedTask task) {
        queuedPerTask.computeIfPresent(task.definition().id(), (id, count) -> count == 1 ? null : count - 1);
        queuedPerExecution.computeIfPresent(task.definition().executionId(), (id, count) -> count == 1 ? null : count - 1);
        heldBack.remove(task);
    }

    /** Hands out tasks that may start now on this pilot, which has no tags, {@code slots} free slots and no memory to offer, fairly; each counts as running until released. */
    List<QueuedTask> take(int slots, long now, String pilotId) {
        return take(slots, 0, now, pilotId, Set.of(), false);
    }

    /** As {@link #take(int, long, long, String, Set, boolean)} for a pilot that offers no memory (tasks needing none fit). */
    List<QueuedTask> take(int slots, long now, String pilotId, Set<String> pilotTags, boolean queueable) {
        return take(slots, 0, now, pilotId, pilotTags, queueable);
    }

    /**
     * Hands out tasks that fit a pilot with {@code pilotTags}, {@code slots} free slots and
     * {@code memoryMb} of free memory, fairly: a task goes to it only if the tags include all of the
     * task's, and its cores and memory fit in what the tasks handed out before it left (a task needing
     * 4 cores takes 4 slots; one needing no memory fits any). With {@code queueable}, only tasks that
     * may wait in the pilot's queue behind its busy slots: one core, no memory, not Monte-Carlo.
     */
    List<QueuedTask> take(int slots, long memoryMb, long now, String pilotId, Set<String> pilotTags, boolean queueable) {
        var taken = new ArrayList<QueuedTask>(Math.min(slots, size));
        var free = new Room(slots, memoryMb);
        // Users found with nothing for this pilot keep their place while we pick (a pick moves only the
        // user served, and behind them), and the room only shrinks, so the next pick walks on from the
        // last of them.
        User passed = null;
        while (free.slots > 0) {
            User served = null;
            QueuedTask task = null;
            for (User candidate : passed == null ? waiting : waiting.tailSet(passed, false)) {
                if (quota > 0 && candidate.running >= quota) {
                    break; // so are all after them: they run as many or more
                }
                task = candidate.poll(pilotId, now, pilotTags, free, queueable);
                if (task != null) {
                    served = candidate;
                    break;
                }
                passed = candidate;
            }
            if (served == null) {
                break;
            }
            taken.add(task);
            left(task);
            var needs = task.definition().spec().resources();
            free.slots -= needs.cores();
            free.memoryMb -= needs.memoryMb();
            size--;
            waiting.remove(served);
            served.running++;
            served.servedAt = ++servedClock;
            if (served.hasQueued()) {
                waiting.add(served);
            } else {
                ranDry(served);
            }
        }
        return taken;
    }

    /** How many of this user's tasks hold a slot (leased or running). */
    int runningOf(String name) {
        User user = users.get(name);
        return user == null ? 0 : user.running;
    }

    /** A task of this user stopped running (ended, lost, cancelled), or was found running at startup ({@code delta} 1). */
    void running(String name, int delta) {
        User user = users.computeIfAbsent(name, User::new);
        boolean queued = user.hasQueued();
        if (queued) {
            waiting.remove(user);
        }
        user.running = Math.max(0, user.running + delta);
        if (queued) {
            waiting.add(user);
        } else if (user.running == 0) {
            users.remove(name);
        }
    }

    void removeIf(Predicate<QueuedTask> which) {
        // Each queued task is tested once (ArrayDeque.removeIf): the ones removed are counted out as they go.
        Predicate<QueuedTask> removing = queued -> {
            boolean removed = which.test(queued);
            if (removed) {
                left(queued);
            }
            return removed;
        };
        for (Iterator<User> it = waiting.iterator(); it.hasNext(); ) {
            User user = it.next();
            size -= user.removeIf(removing);
            if (!user.hasQueued()) {
                it.remove();
                ranDry(user);
            }
        }
    }

    /** The user's last queued task went: they leave the turn order. */
    private void ranDry(User user) {
        // Back with new tasks, they go ahead of users running as many, as a newcomer does: they had nothing queued.
        user.servedAt = 0;
        if (user.running == 0) {
            users.remove(user.name);
        }
    }

    Stream<QueuedTask> stream() {
        return waiting.stream().flatMap(User::stream);
    }

    int size() {
        return size;
    }

    /** Queued tasks counted by what they need of a pilot, lane by lane (no task is visited). */
    Map<TaskNeeds, Integer> countByNeeds() {
        var counts = new HashMap<TaskNeeds, Integer>();
        for (User user : waiting) {
            for (Lane lane : user.lanes) {
                counts.merge(new TaskNeeds(lane.tags, lane.cores, lane.memoryMb), lane.size(), Integer::sum);
            }
        }
        return counts;
    }

    /** Queued tasks counted by user, lane by lane (no task is visited): the queue-depth gauge reads it every 5 s. */
    Map<String, Long> countByUser() {
        var counts = new HashMap<String, Long>();
        for (User user : waiting) {
            counts.put(user.name, user.lanes.stream().mapToLong(Lane::size).sum());
        }
        return counts;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Milliseconds until the next moment a task held back may go to some pilot it could not go to now, or -1
     * if none waits: the end of a backoff (to any pilot but the one it failed on) or of avoiding that pilot
     * (to it too), whichever comes first. The later of the two would keep other pilots' waiting requests
     * from a task that is theirs to take for the whole avoidance.
     */
    long nextBackoffEnd(long now) {
        return heldBack.stream().flatMapToLong(t -> t.avoidPilot() == null ? LongStream.of(t.notBeforeMs())
                        : LongStream.of(t.notBeforeMs(), Math.min(t.avoidUntilMs(), now + 60_000)))
                .filter(t -> t > now).map(t -> t - now).min().orElse(-1);
    }

    static String user(QueuedTask task) {
        return task.definition().owner().username();
    }

    /** What is left of the pilot's free slots and memory while a take hands out tasks. */
    private static final class Room {
        int slots;
        long memoryMb;

        Room(int slots, long memoryMb) {
            this.slots = slots;
            this.memoryMb = memoryMb;
        }

        boolean fits(Lane lane) {
            return lane.cores <= slots && lane.memoryMb <= memoryMb;
        }
    }

    /** Fewest running first, then served least recently; the name only keeps users apart in the set. */
    private static int inTurn(User a, User b) {
        int order = Integer.compare(a.running, b.running);
        if (order == 0) {
            order = Long.compare(a.servedAt, b.servedAt);
        }
        return order != 0 ? order : a.name.compareTo(b.name);
    }

    /** A queued task and its rank in arrival order, which breaks priority ties between a user's lanes. */
    private record Queued(QueuedTask task, long arrival) {
        int priority() {
            return task.definition().priority();
        }

        boolean before(Queued other) {
            return priority() != other.priority() ? priority() > other.priority() : arrival < other.arrival;
        }
    }

    /** One user: their place in the turn order, and their queued tasks in lanes (none empty). */
    private static final class User {
        final String name;
        final List<Lane> lanes = new ArrayList<>(2);
        int running;
        long servedAt;

        User(String name) {
            this.name = name;
        }

        boolean hasQueued() {
            return !lanes.isEmpty();
        }

        void add(Queued queued) {
            var spec = queued.task().definition().spec();
            Set<String> tags = spec.pilotTags().isEmpty() ? Set.of() : Set.copyOf(spec.pilotTags());
            boolean monteCarlo = spec.progress() != null;
            var needs = spec.resources();
            for (Lane lane : lanes) {
                if (lane.monteCarlo == monteCarlo && lane.tags.equals(tags) && lane.cores == needs.cores()
                        && lane.memoryMb == needs.memoryMb()) {
                    lane.add(queued);
                    return;
                }
            }
            var lane = new Lane(tags, monteCarlo, needs.cores(), needs.memoryMb());
            lane.add(queued);
            lanes.add(lane);
        }

        /** Removes and returns the first of this user's tasks, by priority then arrival, that the pilot may take now; null if none. */
        QueuedTask poll(String pilotId, long now, Set<String> pilotTags, Room free, boolean queueable) {
            Lane from = null;
            Queued best = null;
            for (Lane lane : lanes) {
                if ((queueable && !lane.queueable()) || !free.fits(lane) || !pilotTags.containsAll(lane.tags)) {
                    continue;
                }
                Queued first = lane.firstEligible(pilotId, now);
                if (first != null && (best == null || first.before(best))) {
                    best = first;
                    from = lane;
                }
            }
            if (best == null) {
                return null;
            }
            from.remove(best);
            if (from.isEmpty()) {
                lanes.remove(from);
            }
            return best.task();
        }

        int removeIf(Predicate<QueuedTask> which) {
            int removed = 0;
            for (Iterator<Lane> it = lanes.iterator(); it.hasNext(); ) {
                Lane lane = it.next();
                removed += lane.removeIf(which);
                if (lane.isEmpty()) {
                    it.remove();
                }
            }
            return removed;
        }

        Stream<QueuedTask> stream() {
            return lanes.stream().flatMap(Lane::stream);
        }
    }

    /**
     * A user's tasks of one kind (the same pilot tags, cores and memory; Monte-Carlo or not): by
     * priority, highest first, then by arrival.
     */
    private static final class Lane {
        final Set<String> tags;
        final boolean monteCarlo;
        final int cores;
        final long memoryMb;
        final TreeMap<Integer, ArrayDeque<Queued>> byPriority = new TreeMap<>(Comparator.reverseOrder());

        Lane(Set<String> tags, boolean monteCarlo, int cores, long memoryMb) {
            this.tags = tags;
            this.monteCarlo = monteCarlo;
            this.cores = cores;
            this.memoryMb = memoryMb;
        }

        /** Whether its tasks may wait in a pilot's queue behind busy slots: tiny-task prefetching is for plain tasks. */
        boolean queueable() {
            return !monteCarlo && cores == 1 && memoryMb == 0;
        }

        void add(Queued queued) {
            byPriority.computeIfAbsent(queued.priority(), p -> new ArrayDeque<>()).add(queued);
        }

        boolean isEmpty() {
            return byPriority.isEmpty();
        }

        int size() {
            int size = 0;
            for (var tasks : byPriority.values()) {
                size += tasks.size();
            }
            return size;
        }

        /** Passes over the tasks in backoff or avoiding this pilot, which are few. */
        Queued firstEligible(String pilotId, long now) {
            for (var tasks : byPriority.values()) {
                for (Queued queued : tasks) {
                    if (queued.task().eligible(pilotId, now)) {
                        return queued;
                    }
                }
            }
            return null;
        }

        void remove(Queued queued) {
            var tasks = byPriority.get(queued.priority());
            if (tasks.peekFirst() == queued) {
                tasks.pollFirst();
            } else {
                tasks.removeIf(other -> other == queued); // past tasks in backoff or avoiding the pilot: rare
            }
            if (tasks.isEmpty()) {
                byPriority.remove(queued.priority());
            }
        }

        int removeIf(Predicate<QueuedTask> which) {
            int removed = 0;
            for (var it = byPriority.values().iterator(); it.hasNext(); ) {
                var tasks = it.next();
                int before = tasks.size();
                tasks.removeIf(queued -> which.test(queued.task()));
                removed += before - tasks.size();
                if (tasks.isEmpty()) {
                    it.remove();
                }
            }
            return removed;
        }

        Stream<QueuedTask> stream() {
            return byPriority.values().stream().flatMap(ArrayDeque::stream).map(Queued::task);
        }
    }
}
