package org.escadrille.server.site;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.escadrille.server.scheduling.TaskNeeds;

/**
 * The queued work of one factory round that no site's pilots have claimed yet. The sites are walked
 * once, in a stable order (by name); each claims, for the pilots it already has waiting in its engine
 * and those it submits now, the tasks those pilots will run, so that a site further on sizes itself
 * only by what is left: two sites able to run the same tasks do not both get pilots for all of them.
 *
 * <p>A site can run a task if its tags include the task's, its pilots' slots are at least the task's
 * cores and, when it sets the memory per pilot, that memory is at least the task's. One pilot runs
 * {@code min(slots / cores, memory / taskMemory)} such tasks at once; tasks of several kinds share
 * pilots in proportion. Not thread-safe: one round owns it.
 */
final class Demand {
    /** Larger tasks first: they are the hardest to place, so they are claimed before small ones fill the pilots. */
    private static final Comparator<TaskNeeds> ORDER = Comparator.comparingInt(TaskNeeds::cores).reversed()
            .thenComparing(Comparator.comparingLong(TaskNeeds::memoryMb).reversed())
            .thenComparing(needs -> String.join(",", needs.tags().stream().sorted().toList()));
    /** Rounding of fractions of pilots: a thousandth of a pilot is no pilot. */
    private static final double EPSILON = 1e-9;

    private final Map<TaskNeeds, Integer> left = new LinkedHashMap<>();

    Demand(Map<TaskNeeds, Integer> queued) {
        queued.entrySet().stream().filter(entry -> entry.getValue() > 0).sorted(Map.Entry.comparingByKey(ORDER))
                .forEach(entry -> left.put(entry.getKey(), entry.getValue()));
    }

    /** Whether a pilot of this site can run such a task. */
    static boolean canRun(Site site, TaskNeeds needs) {
        var limits = site.limits();
        return site.offers(needs.tags()) && needs.cores() <= limits.slotsPerPilot()
                && (needs.memoryMb() == 0 || limits.memoryMbPerPilot() == null || needs.memoryMb() <= limits.memoryMbPerPilot());
    }

    /** How many such tasks one pilot of the site runs at once (it can run them). */
    static int perPilot(Site site, TaskNeeds needs) {
        var limits = site.limits();
        long byCores = limits.slotsPerPilot() / needs.cores();
        long byMemory = needs.memoryMb() == 0 || limits.memoryMbPerPilot() == null ? Long.MAX_VALUE
                : limits.memoryMbPerPilot() / needs.memoryMb();
        return (int) Math.max(1, Math.min(byCores, byMemory));
    }

    /** The pilots the site would need to run, all at once, every unclaimed task it can run. */
    int pilotsFor(Site site) {
        double pilots = 0;
        for (var entry : left.entrySet()) {
            if (canRun(site, entry.getKey())) {
                pilots += (double) entry.getValue() / perPilot(site, entry.getKey());
            }
        }
        return (int) Math.ceil(pilots - EPSILON);
    }

    /** The site's {@code pilots} claim the tasks they will run, larger tasks first, up to their capacity. */
    void claim(Site site, int pilots) {
        double room = pilots;
        for (var entry : left.entrySet()) {
            if (room <= EPSILON) {
                return;
            }
            TaskNeeds needs = entry.getKey();
            if (!canRun(site, needs) || entry.getValue() == 0) {
                continue;
            }
            int perPilot = perPilot(site, needs);
            int taken = (int) Math.min(entry.getValue(), Math.floor(room * perPilot + EPSILON));
            entry.setValue(entry.getValue() - taken);
            room -= (double) taken / perPilot;
        }
    }

    /** Tasks of this kind no site has claimed yet. */
    int left(TaskNeeds needs) {
        return left.getOrDefault(needs, 0);
    }
}
