package org.escadrille.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.TaskCounts;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {
    private static Execution execution(String status, TaskCounts tasks) {
        return new Execution("e1", null, "pi", "1.0", null, status, null, null, null, null, null, tasks, null, null,
                null, List.of());
    }

    @Test
    void aBarFillsInProportion() {
        assertThat(ProgressLines.bar(0, 10)).isEqualTo("[----------]");
        assertThat(ProgressLines.bar(0.45, 10)).isEqualTo("[####------]");
        assertThat(ProgressLines.bar(1, 10)).isEqualTo("[##########]");
    }

    @Test
    void aBarClampsWhatIsOutOfRange() {
        assertThat(ProgressLines.bar(1.5, 4)).isEqualTo("[####]");
        assertThat(ProgressLines.bar(-1, 4)).isEqualTo("[----]");
        assertThat(ProgressLines.bar(Double.NaN, 4)).isEqualTo("[----]");
    }

    @Test
    void anExecutionLineShowsStatusTasksDoneAndElapsedTime() {
        String line = ProgressLines.execution(execution("Running", new TaskCounts(10, 3, 2, 4, 1, 0)),
                Duration.ofMillis(12_400));

        assertThat(line).isEqualTo("Running      [##########----------]  5/10 tasks (2 running, 3 queued, 1 failed)  12.4 s");
    }

    @Test
    void anExecutionWithoutTasksYetSaysSo() {
        String line = ProgressLines.execution(execution("Initializing", TaskCounts.NONE), Duration.ofSeconds(1));

        assertThat(line).isEqualTo("Initializing [--------------------]  no tasks yet  1.0 s");
    }

    @Test
    void theMilestoneIgnoresTheClock() {
        Execution running = execution("Running", new TaskCounts(2, 1, 1, 0, 0, 0));

        assertThat(ProgressLines.executionMilestone(running))
                .isEqualTo(ProgressLines.executionMilestone(running))
                .isNotEqualTo(ProgressLines.executionMilestone(execution("Running", new TaskCounts(2, 0, 1, 1, 0, 0))));
    }

    @Test
    void aTransferLineShowsFilesBytesAndRate() {
        String line = ProgressLines.transfer("Uploading", 1, 4, 2 * 1024 * 1024, 8 * 1024 * 1024, Duration.ofSeconds(2));

        assertThat(line).isEqualTo("Uploading    [#####---------------]  1/4 files  2.0 MiB / 8.0 MiB  1.0 MiB/s");
    }
}
