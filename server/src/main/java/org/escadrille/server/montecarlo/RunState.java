package org.escadrille.server.montecarlo;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.escadrille.server.account.Account;

/** A Monte-Carlo run's state in memory; its fields are guarded by its lock. */
final class RunState {
    final ReentrantLock lock = new ReentrantLock();
    final String executionId;
    final MonteCarloSpec spec;
    final Split split;
    final long total;
    final long baseSeed;
    final Account owner;
    final String outputDir;
    final Map<String, Long> running = new ConcurrentHashMap<>();
    final StopTargets targets = new StopTargets();
    /** The stop targets last given to its running tasks. */
    final Map<String, Long> shares = new HashMap<>();
    int nextIndex;
    int initialCount;
    long completed;
    boolean stopping;
    boolean done;
    /** Its running tasks have stop targets: the end is near. */
    boolean finishing;
    /** Its tasks stopped short of the total (one died late): new ones only make up the shortfall. */
    boolean toppingUp;
    /** Who stopped it early to merge what it had, or null. */
    String stoppedBy;

    RunState(String executionId, MonteCarloSpec spec, Split split, long total, long baseSeed, Account owner,
             String outputDir) {
        this.executionId = executionId;
        this.spec = spec;
        this.split = split;
        this.total = total;
        this.baseSeed = baseSeed;
        this.owner = owner;
        this.outputDir = outputDir;
    }

    /** The events of the tasks running now, as their latest heartbeats said. */
    long runningEvents() {
        return running.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A run that keeps failing stops making tasks: a few times the slots it started with, plus some. */
    int spawnLimit() {
        return Math.max(8, 4 * Math.max(1, initialCount));
    }
}
