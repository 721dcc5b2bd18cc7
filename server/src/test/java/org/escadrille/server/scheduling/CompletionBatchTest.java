package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionReceipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pilot reports its short tasks' ends in batches: one receipt per item, in order; a repeated
 * completion gets an accepted receipt and changes nothing; one of an attempt that is not (or no
 * longer) the pilot's is refused.
 */
class CompletionBatchTest {
    @TempDir
    Path dir;

    @Test
    void eachCompletionOfABatchEndsItsAttempt() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        var tasks = rig.submit(Tasks.definition().build(), Tasks.definition().build(), Tasks.definition().build());
        var attempts = rig.lease(pilot, 3);

        var receipts = rig.scheduler.completeAll(pilot, List.of(
                rig.item(attempts.get(0), Completion.Outcome.SUCCEEDED),
                rig.item(attempts.get(1), Completion.Outcome.FAILED),
                rig.item(attempts.get(2), Completion.Outcome.SUCCEEDED)));

        assertThat(receipts).extracting(CompletionReceipt::accepted).containsExactly(true, true, true);
        assertThat(attempts).extracting(rig::attemptStatus).containsExactly("SUCCEEDED", "FAILED", "SUCCEEDED");
        assertThat(tasks).extracting(t -> rig.status(t.id())).containsExactlyInAnyOrder("SUCCEEDED", "QUEUED", "SUCCEEDED");
        assertThat(rig.scheduler.leasedCount()).isZero();
        assertThat(rig.counter("escadrille.attempts.succeeded")).isEqualTo(2);
        assertThat(rig.counter("escadrille.tasks.retried")).isEqualTo(1);
    }

    @Test
    void aRepeatedBatchIsAcceptedAndCountedOnce() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        rig.submit(Tasks.definition().build(), Tasks.definition().build());
        var attempts = rig.lease(pilot, 2);
        var batch = List.of(rig.item(attempts.get(0), Completion.Outcome.SUCCEEDED),
                rig.item(attempts.get(1), Completion.Outcome.FAILED));
        rig.scheduler.completeAll(pilot, batch);

        var again = rig.scheduler.completeAll(pilot, batch);

        assertThat(again).containsExactly(new CompletionReceipt(true, "already recorded"),
                new CompletionReceipt(true, "already recorded"));
        assertThat(rig.counter("escadrille.attempts.succeeded")).isEqualTo(1);
        assertThat(rig.counter("escadrille.tasks.retried")).isEqualTo(1);
        assertThat(rig.ended).hasSize(1);
        rig.advance(Duration.ofMinutes(1));
        assertThat(rig.lease(rig.pilot(), 4)).as("the failed task, queued once").hasSize(1);
    }

    @Test
    void aCompletionOfAnotherPilotsAttemptIsRefusedAndTheRestOfTheBatchAccepted() {
        var rig = new SchedulerRig(dir);
        String pilot = rig.pilot();
        String intruder = rig.pilot();
        rig.submit(Tasks.definition().build(), Tasks.definition().build());
        var mine = rig.leaseOne(intruder);
        var theirs = rig.leaseOne(pilot);

        var receipts = rig.scheduler.completeAll(intruder, List.of(
                rig.item(theirs, Completion.Outcome.SUCCEEDED),
                rig.item(mine, Completion.Outcome.SUCCEEDED)));

        assertThat(receipts.get(0).accepted()).isFalse();
        assertThat(receipts.get(0).message()).contains("no longer this pilot's");
        assertThat(receipts.get(1).accepted()).isTrue();
        assertThat(rig.attemptStatus(theirs)).isEqualTo("LEASED");
        assertThat(rig.scheduler.holds(pilot, theirs.attemptId())).isTrue();
    }
}
