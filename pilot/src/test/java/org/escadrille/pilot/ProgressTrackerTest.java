package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.escadrille.protocol.TaskAssignment.ProgressSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTrackerTest {

    @TempDir
    Path temp;

    @Test
    void stdoutLinesAreMatchedAsTheyArriveEvenWhenSplitAcrossPolls() throws IOException {
        var workDir = new WorkDirectory(temp);
        workDir.create();
        var tracker = ProgressTracker.of(new ProgressSpec("done (\\d+) events", null, null), workDir);

        tracker.poll();
        assertThat(tracker.latest()).isEqualTo(-1);
        Files.writeString(workDir.stdout(), "start\ndone 12 events\ndone 3");
        tracker.poll();
        assertThat(tracker.latest()).isEqualTo(12);
        Files.writeString(workDir.stdout(), "4 events\r\nother\n", StandardOpenOption.APPEND);
        tracker.poll();
        assertThat(tracker.latest()).isEqualTo(34);
    }

    @Test
    void aProgressFileIsReadByItsLastLine() throws IOException {
        var workDir = new WorkDirectory(temp);
        workDir.create();
        var tracker = ProgressTracker.of(new ProgressSpec("^(\\d+)/1000$", "progress.txt", null), workDir);

        Files.writeString(workDir.root().resolve("progress.txt"), "10/1000\n20/1000\n");
        tracker.poll();

        assertThat(tracker.latest()).isEqualTo(20);
    }

    @Test
    void withoutASpecNothingIsReported() {
        var tracker = ProgressTracker.none();
        tracker.poll();
        tracker.finish();

        assertThat(tracker.latest()).isEqualTo(-1);
    }

    @Test
    void theCountBetweenTwoProgressLinesIsProjectedFromTheRate() throws IOException {
        var workDir = new WorkDirectory(temp);
        workDir.create();
        var tracker = ProgressTracker.of(new ProgressSpec("^events: (\\d+)$", null, null), workDir);
        long ms = 1_000_000;

        Files.writeString(workDir.stdout(), "");
        tracker.poll(0);
        Files.writeString(workDir.stdout(), "events: 1000\n");
        tracker.poll(10 * ms);
        assertThat(tracker.projected(20 * ms)).as("one count says nothing of the rate").isEqualTo(1000);
        assertThat(tracker.nanosUntil(5000, 20 * ms)).isEqualTo(Long.MAX_VALUE);
        Files.writeString(workDir.stdout(), "events: 2000\n", StandardOpenOption.APPEND);
        tracker.poll(20 * ms);

        // Each line is taken as written halfway between two polls (at 5 and 15 ms): 1000 events in 10 ms.
        assertThat(tracker.projected(25 * ms)).isEqualTo(3000);
        assertThat(tracker.nanosUntil(3000, 20 * ms)).isEqualTo(5 * ms);
        assertThat(tracker.nanosUntil(1500, 20 * ms)).isZero();
    }
}
