package org.escadrille.server.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.escadrille.server.montecarlo.MonteCarloRepository.PartialOutput;
import org.escadrille.server.montecarlo.MonteCarloRepository.TaskRow;
import org.junit.jupiter.api.Test;

/** Which partial results a dynamic run merges: those of the tasks that simulated something. */
class PartialMergeTest {
    private static final PartialOutput FIRST = new PartialOutput("t0", 0, "result", "out/partials/task-0/pi.json", "out/partials/task-0");
    private static final PartialOutput SECOND = new PartialOutput("t1", 1, "result", "out/partials/task-1/pi.json", "out/partials/task-1");
    private static final PartialOutput LATE = new PartialOutput("t2", 2, "result", "out/partials/task-2/pi.json", "out/partials/task-2");

    @Test
    void aTaskStoppedBeforeItsFirstEventIsLeftOutOfTheMerge() {
        var tasks = List.of(task("t0", 100_663_296), task("t1", 100_663_296), task("t2", 0));

        assertThat(PartialMerge.simulatedSome(List.of(FIRST, SECOND, LATE), tasks)).containsExactly(FIRST, SECOND);
    }

    @Test
    void whenNoTaskCountedEventsEveryPartialIsMerged() {
        var tasks = List.of(task("t0", 0), task("t1", 0));

        assertThat(PartialMerge.simulatedSome(List.of(FIRST, SECOND), tasks)).containsExactly(FIRST, SECOND);
    }

    private static TaskRow task(String id, long events) {
        return new TaskRow(id, Integer.parseInt(id.substring(1)), 13, 200_000_000, "STOPPED", events);
    }
}
