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
}
