package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.EscadrilleProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease request that finds no work waits without holding its caller's thread: the scheduler keeps it
 * among its waiting requests and hands it work when some is queued, in the order the requests came, or
 * answers it empty at the end of its wait.
 */
class LongPollTest {
    @TempDir
    Path dir;

    /** The rig's settings, but requests may wait 30 s (the rig's own: 1 s). */
    private static final EscadrilleProperties.Scheduling LONG_POLLS = new EscadrilleProperties.Scheduling(
            Duration.ofSeconds(60), Duration.ofSeconds(15), 3, 10, Duration.ofSeconds(30), 0, 3.0, Duration.ofSeconds(1), null, null);

    private SchedulerRig rig;

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.scheduler.destroy();
        }
    }

    @Test
    void aWaitingRequestHoldsNoThreadAndGetsWorkQueuedLater() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        String pilot = rig.pilot();

        var answer = waitFor(pilot, 1, 10_000);

        assertThat(answer).as("the call returned without work").isNotDone();
        assertThat(rig.scheduler.waitingLeases()).isEqualTo(1);
        var task = rig.submit(Tasks.definition().build()).get(0);
        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(answer.join()).extracting(TaskAssignment::taskId).containsExactly(task.id());
        assertThat(rig.status(task.id())).isEqualTo("LEASED");
        assertThat(rig.scheduler.waitingLeases()).isZero();
    }

    @Test
    void thousandsOfRequestsWaitOnOneThread() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        var answers = new ArrayList<CompletableFuture<List<TaskAssignment>>>();
        for (int i = 0; i < 2_000; i++) {
            answers.add(waitFor("p" + i, 1, 10_000));
        }

        assertThat(answers).noneMatch(CompletableFuture::isDone);
        assertThat(rig.scheduler.waitingLeases()).isEqualTo(2_000);
    }

    @Test
    void workGoesToTheRequestsThatWaitedLongest() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        String first = rig.pilot();
        String second = rig.pilot();
        var firstAnswer = waitFor(first, 1, 10_000);
        var secondAnswer = waitFor(second, 1, 10_000);

        var one = rig.submit(Tasks.definition().build()).get(0);
        await().atMost(Duration.ofSeconds(5)).until(firstAnswer::isDone);
        assertThat(firstAnswer.join()).extracting(TaskAssignment::taskId).containsExactly(one.id());
        assertThat(secondAnswer).isNotDone();

        var two = rig.submit(Tasks.definition().build()).get(0);
        await().atMost(Duration.ofSeconds(5)).until(secondAnswer::isDone);
        assertThat(secondAnswer.join()).extracting(TaskAssignment::taskId).containsExactly(two.id());
    }

    @Test
    void aWaitingRequestGetsAsManyTasksAsItHasFreeSlots() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        String pilot = rig.pilot();
        var answer = waitFor(pilot, 2, 10_000);

        rig.submit(Tasks.definition().build(), Tasks.definition().build(), Tasks.definition().build());

        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(answer.join()).hasSize(2);
        assertThat(rig.lease(rig.pilot(), 4)).as("what is left for the next pilot").hasSize(1);
    }

    @Test
    void aRequestThatGetsNothingIsAnsweredEmptyAtTheEndOfItsWait() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        long asked = System.nanoTime();

        var answer = waitFor(rig.pilot(), 1, 300);

        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(answer.join()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(rig.scheduler.waitingLeases()).isZero();
    }

    @Test
    void aTaskBackFromItsBackoffGoesToAWaitingRequest() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        String failing = rig.pilot();
        String other = rig.pilot();
        var task = rig.submit(Tasks.definition().build()).get(0);
        rig.fail(failing, rig.leaseOne(failing));
        var answer = waitFor(other, 1, 10_000);

        rig.advance(Duration.ofMillis(500));

        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(answer.join()).extracting(TaskAssignment::taskId).containsExactly(task.id());
    }

    @Test
    void aRequestWhoseClientWentAwayTakesNoWork() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        var gone = ask(rig.pilot(), 1, 10_000);
        gone.cancel(false);

        var task = rig.submit(Tasks.definition().build()).get(0);

        assertThat(rig.leaseOne(rig.pilot()).taskId()).isEqualTo(task.id());
    }

    @Test
    void requestsStillWaitingWhenTheSchedulerStopsAreAnsweredEmpty() {
        rig = new SchedulerRig(dir, LONG_POLLS);
        var answer = waitFor(rig.pilot(), 1, 10_000);

        rig.scheduler.destroy();

        // The waiter is answered by the stop; the request's own future follows once the thread that served the
        // request's batch has handed it over, which may be just after the request started waiting.
        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(answer).isCompletedWithValue(List.of());
    }

    @Test
    void aRequestBeyondTheBoundIsAnsweredAtOnceEmptyWithATimeToAskAgainAroundItsWait() {
        rig = new SchedulerRig(dir, LONG_POLLS, new EscadrilleProperties.LongPollLimits(2, null, 0));
        waitFor(rig.pilot(), 1, 10_000);
        waitFor(rig.pilot(), 1, 10_000);

        var turnedAway = ask(rig.pilot(), 1, 10_000);

        assertThat(turnedAway).isDone();
        assertThat(turnedAway.join().tasks()).isEmpty();
        assertThat(turnedAway.join().retryAfterMs()).isBetween(5_000L, 15_000L);
        assertThat(rig.scheduler.waitingLeases()).isEqualTo(2);
        assertThat(rig.meters.counter("escadrille.leases.turned.away").count()).isEqualTo(1);
    }

    @Test
    void turnedAwayRequestsAreToldToComeBackAtSpreadTimes() {
        rig = new SchedulerRig(dir, LONG_POLLS, new EscadrilleProperties.LongPollLimits(1, null, 0));
        waitFor(rig.pilot(), 1, 10_000);

        var retries = new java.util.HashSet<Long>();
        for (int i = 0; i < 20; i++) {
            retries.add(ask(rig.pilot(), 1, 10_000).join().retryAfterMs());
        }

        assertThat(retries).as("twenty pilots told to come back all at the same moment would come back together").hasSizeGreaterThan(10);
    }

    @Test
    void aLargePoolIsToldToComeBackOverAsManySecondsAsItHasPilotsPerComeBackRate() {
        // One pilot a second may come back: eleven pilots heard from come back over about eleven seconds.
        rig = new SchedulerRig(dir, LONG_POLLS, new EscadrilleProperties.LongPollLimits(1, null, 1));
        waitFor(heard(rig.pilot()), 1, 10_000);
        for (int i = 0; i < 9; i++) {
            heard(rig.pilot());
        }

        long retryAfterMs = ask(heard(rig.pilot()), 1, 1_000).join().retryAfterMs();

        assertThat(retryAfterMs).as("around 11 s, not around the request's own 1 s wait").isBetween(5_500L, 16_500L);
    }

    @Test
    void theComeBackSpreadGrowsWithThePoolUpToAThirdOfATokensLifetime() {
        assertThat(Scheduler.comeBackSpreadMs(2_000, 500, 240_000)).as("a pool that waits as usual").isEqualTo(4_000);
        assertThat(Scheduler.comeBackSpreadMs(20_000, 500, 240_000)).isEqualTo(40_000);
        assertThat(Scheduler.comeBackSpreadMs(50_000, 500, 240_000)).as("its token must outlive the wait").isEqualTo(80_000);
    }

    private String heard(String pilotId) {
        rig.pilots.seen(pilotId);
        return pilotId;
    }

    @Test
    void aTaskQueuedWhileTheBoundIsReachedGoesToAParkedRequestAtOnce() {
        rig = new SchedulerRig(dir, LONG_POLLS, new EscadrilleProperties.LongPollLimits(1, null, 0));
        var parked = waitFor(rig.pilot(), 1, 10_000);
        assertThat(ask(rig.pilot(), 1, 10_000).join().retryAfterMs()).isPositive();

        var task = rig.submit(Tasks.definition().build()).get(0);

        await().atMost(Duration.ofSeconds(5)).until(parked::isDone);
        assertThat(parked.join()).extracting(TaskAssignment::taskId).containsExactly(task.id());
        assertThat(ask(rig.pilot(), 1, 10_000)).as("the place it left is free again").isNotDone();
    }

    @Test
    void aParkedRequestEndingEmptyWhileOthersAreTurnedAwayGivesUpItsPlace() {
        rig = new SchedulerRig(dir, LONG_POLLS, new EscadrilleProperties.LongPollLimits(1, null, 0));
        String parkedPilot = rig.pilot();
        String turnedAwayPilot = rig.pilot();
        var parked = ask(parkedPilot, 1, 300);
        assertThat(ask(turnedAwayPilot, 1, 300).join().retryAfterMs()).isPositive();

        await().atMost(Duration.ofSeconds(5)).until(parked::isDone);

        assertThat(parked.join().tasks()).isEmpty();
        assertThat(parked.join().retryAfterMs()).as("told to come back later, not at once").isBetween(150L, 450L);
        assertThat(ask(turnedAwayPilot, 1, 10_000)).as("the pilot turned away now gets the place").isNotDone();
    }

    @Test
    void aRequestEndingEmptyWhenNoneWasTurnedAwayMayAskAgainAtOnce() {
        rig = new SchedulerRig(dir, LONG_POLLS, new EscadrilleProperties.LongPollLimits(1, null, 0));
        var parked = ask(rig.pilot(), 1, 300);

        await().atMost(Duration.ofSeconds(5)).until(parked::isDone);

        assertThat(parked.join()).isEqualTo(LeaseGrant.none());
    }

    private CompletableFuture<List<TaskAssignment>> waitFor(String pilotId, int slots, int waitMs) {
        return ask(pilotId, slots, waitMs).thenApply(LeaseGrant::tasks);
    }

    /** Asks, and returns once the request was served: answered, or waiting (lease requests are served by one thread, in batches). */
    private CompletableFuture<LeaseGrant> ask(String pilotId, int slots, int waitMs) {
        int waiting = rig.scheduler.waitingLeases();
        var answer = rig.scheduler.lease(pilotId, "host", Set.of(), new LeaseRequest(slots, 0, waitMs, List.of()));
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                .until(() -> answer.isDone() || rig.scheduler.waitingLeases() > waiting);
        return answer;
    }
}
