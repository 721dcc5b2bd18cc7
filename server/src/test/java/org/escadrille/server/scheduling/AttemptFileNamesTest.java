package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which attempts' files the orphan sweeper must leave: those of attempts still running, and no others. */
class AttemptFileNamesTest {
    @TempDir
    Path dir;

    @Test
    void aRunningAttemptNamesItsStagedOutputsAndCheckpoints() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build());
        var attempt = rig.leaseOne(pilot);
        var names = new AttemptFileNames(rig.tasks);

        assertThat(names.names(AttemptFiles.stagingPrefix(attempt.attemptId()) + "out/result.csv")).isTrue();
        assertThat(names.names(AttemptFiles.checkpointPrefix(attempt.attemptId()) + "1000/part.json")).isTrue();
    }

    @Test
    void anEndedAttemptNamesNothingLeftUnderIt() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build());
        var attempt = rig.leaseOne(pilot);
        var names = new AttemptFileNames(rig.tasks);

        rig.fail(pilot, attempt);

        assertThat(names.names(AttemptFiles.stagingPrefix(attempt.attemptId()) + "out/result.csv")).isFalse();
        assertThat(names.names(AttemptFiles.checkpointPrefix(attempt.attemptId()) + "1000/part.json")).isFalse();
    }

    @Test
    void anUnknownAttemptNamesNothing() {
        var names = new AttemptFileNames(new SchedulerRig(dir).tasks);

        assertThat(names.names("staging/nosuchattempt/out.txt")).isFalse();
        assertThat(names.names("staging/stray-file-at-the-top")).isFalse();
    }
}
