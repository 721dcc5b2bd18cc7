package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt's ending looks in its staging area only when its pilot may have put outputs there: on S3 each look
 * is a request to the store, made while the completion waits (issue 14: at 1,000 pilots reading one input, those
 * listings held completions past the pilots' time-outs). The outputs of a pilot that asked to upload, and those of
 * any lease recovered after a restart, are still committed.
 */
class StagedOutputsTest {
    @TempDir
    Path dir;

    @Test
    void anEndingWithNothingStagedMakesNoStorageCall() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var tasks = rig.submit(Tasks.definition().build(), Tasks.definition().build());
        var attempts = rig.lease(pilot, 2);
        rig.storageCalls.clear();

        rig.succeed(pilot, attempts.get(0));
        rig.fail(pilot, attempts.get(1));

        assertThat(rig.status(tasks.get(0).id())).isEqualTo("SUCCEEDED");
        assertThat(rig.attemptStatus(attempts.get(1))).isEqualTo("FAILED");
        assertThat(rig.storageCalls).as("the storage calls of a success and a failure whose pilot uploaded nothing").isEmpty();
    }

    @Test
    void theOutputsOfAPilotThatAskedToUploadAreCommitted() throws IOException {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        var attempt = rig.leaseOne(pilot);
        // What the pilot controller does before it answers an upload, or the URL of one.
        rig.scheduler.leaseOf(attempt.attemptId()).outputsStaged = true;
        stage(rig, attempt, "result.txt");

        rig.succeed(pilot, attempt);

        assertThat(rig.status(task.id())).isEqualTo("SUCCEEDED");
        assertThat(outputs(rig, task)).singleElement().asString().endsWith("result.txt");
        assertThat(rig.storage.walk(AttemptFiles.stagingPrefix(attempt.attemptId()))).as("the staging area, emptied").isEmpty();
    }

    @Test
    void aLeaseRecoveredAfterARestartHasItsStagedOutputsCommitted() throws IOException {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        var attempt = rig.leaseOne(pilot);
        rig.running(pilot, attempt);
        // Uploaded before the server stopped: the restarted server cannot know it was.
        stage(rig, attempt, "result.txt");

        var restarted = rig.restarted();
        var receipt = restarted.complete(pilot, attempt.attemptId(), rig.completion(Completion.Outcome.SUCCEEDED, 1_000));

        assertThat(receipt.accepted()).isTrue();
        assertThat(rig.status(task.id())).isEqualTo("SUCCEEDED");
        assertThat(outputs(rig, task)).singleElement().asString().endsWith("result.txt");
    }

    private static void stage(SchedulerRig rig, TaskAssignment attempt, String name) throws IOException {
        rig.storage.put(AttemptFiles.stagingPrefix(attempt.attemptId()) + name,
                new ByteArrayInputStream("42\n".getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> outputs(SchedulerRig rig, TaskDefinition task) {
        return rig.jdbc.sql("SELECT path FROM task_outputs WHERE task_id = ?").param(task.id()).query(String.class).list();
    }
}
