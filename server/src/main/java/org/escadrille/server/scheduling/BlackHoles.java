package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spots black holes: pilots whose attempts keep failing fast while the same work succeeds elsewhere
 * (a broken node, a missing tool, a full disk). Such a pilot gets no more tasks. Failing fast
 * everywhere is the tasks' fault, not the pilots': a pilot is only a black hole if other pilots
 * succeeded during its streak. Not thread-safe: called under the {@link SchedulerState} lock.
 */
final class BlackHoles {
    static final int STREAK = 5;
    static final double FAST_SECONDS = 10;

    private final Map<String, Integer> streaks = new HashMap<>();
    private final Map<String, Long> successesWhenStreakBegan = new HashMap<>();
    private final Set<String> holes = new HashSet<>();
    private long successes;

    /**
     * Records a success; answers the pilots it makes black holes: those already on a streak of fast
     * failures (which may all have come before any success anywhere, e.g. when the broken pilot was
     * the first to ask for work).
     */
    List<String> succeeded(String pilotId) {
        successes++;
        streaks.remove(pilotId);
        successesWhenStreakBegan.remove(pilotId);
        var made = new ArrayList<String>();
        streaks.forEach((other, streak) -> {
            if (streak >= STREAK && holes.add(other)) {
                made.add(other);
            }
        });
        return made;
    }

    /** Records a failure; true when it makes the pilot a black hole. */
    boolean failed(String pilotId, double wallSeconds) {
        if (wallSeconds >= FAST_SECONDS) {
            streaks.remove(pilotId);
            successesWhenStreakBegan.remove(pilotId);
            return false;
        }
        successesWhenStreakBegan.putIfAbsent(pilotId, successes);
        int streak = streaks.merge(pilotId, 1, Integer::sum);
        if (streak >= STREAK && successes > successesWhenStreakBegan.get(pilotId) && holes.add(pilotId)) {
            return true;
        }
        return false;
    }

    boolean isHole(String pilotId) {
        return holes.contains(pilotId);
    }
}
