package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.account.Account;
import org.junit.jupiter.api.Test;

class FairShareQueueTest {
    private static final Account ALICE = new Account("a", "alice", Account.Role.USER);
    private static final Account BOB = new Account("b", "bob", Account.Role.USER);
    private static final Account CAROL = new Account("c", "carol", Account.Role.USER);
    private static final Set<String> NO_TAGS = Set.of();
    private static final Set<String> GPU = Set.of("gpu");

    private static QueuedTask task(Account owner, String id, int priority) {
        return task(owner, id, priority, List.of());
    }

    private static QueuedTask task(Account owner, String id, int priority, List<String> pilotTags) {
        return Tasks.definition().id(id).owner(owner).priority(priority).pilotTags(pilotTags.toArray(String[]::new)).queued();
    }

    private static QueuedTask monteCarlo(Account owner, String id, int priority) {
        return Tasks.definition().id(id).owner(owner).priority(priority).monteCarlo().queued();
    }

    private static List<String> ids(List<QueuedTask> tasks) {
        return tasks.stream().map(t -> t.definition().id()).toList();
    }

    @Test
    void freeSlotsGoToTheUserRunningFewestEvenIfTheyQueuedLater() {
        var queue = new FairShareQueue(0);
        for (int i = 0; i < 10; i++) {
            queue.add(task(ALICE, "a" + i, 0));
        }
        queue.add(task(BOB, "b0", 0));
        queue.add(task(BOB, "b1", 0));

        var taken = queue.take(4, 0, "p");

        assertThat(ids(taken)).containsExactlyInAnyOrder("a0", "a1", "b0", "b1");
    }

    @Test
    void aUserWithRunningTasksWaitsBehindOneWithNone() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "a0", 0));
        queue.add(task(ALICE, "a1", 0));
        queue.take(1, 0, "p");
        queue.add(task(BOB, "b0", 0));

        assertThat(ids(queue.take(1, 0, "p"))).containsExactly("b0");

        queue.running("bob", -1);
        assertThat(ids(queue.take(1, 0, "p"))).containsExactly("a1");
    }

    @Test
    void withinAUserHigherPriorityGoesFirstThenArrivalOrder() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "low", -5));
        queue.add(task(ALICE, "first", 0));
        queue.add(task(ALICE, "urgent", 10));
        queue.add(task(ALICE, "second", 0));

        assertThat(ids(queue.take(4, 0, "p"))).containsExactly("urgent", "first", "second", "low");
    }

    @Test
    void aUserAtTheQuotaWaitsUntilATaskEnds() {
        var queue = new FairShareQueue(2);
        for (int i = 0; i < 5; i++) {
            queue.add(task(ALICE, "a" + i, 0));
        }

        assertThat(queue.take(5, 0, "p")).hasSize(2);
        assertThat(queue.take(5, 0, "p")).isEmpty();
        queue.running("alice", -1);
        assertThat(ids(queue.take(5, 0, "p"))).containsExactly("a2");
    }

    @Test
    void aTaskInBackoffWaitsItsTurnWithoutBlockingOthers() {
        var queue = new FairShareQueue(0);
        queue.add(new QueuedTask(Tasks.definition().id("later").owner(ALICE).build(), 1, 1, 0, 0, 5_000));
        queue.add(task(ALICE, "now", 0));

        assertThat(ids(queue.take(2, 1_000, "p"))).containsExactly("now");
        assertThat(queue.nextBackoffEnd(1_000)).isEqualTo(4_000);
        assertThat(ids(queue.take(2, 5_000, "p"))).containsExactly("later");
    }

    @Test
    void aFailedTaskIsDueForOtherPilotsAtTheEndOfItsBackoffAndForItsOwnAtTheEndOfTheAvoidance() {
        var queue = new FairShareQueue(0);
        var failed = new QueuedTask(Tasks.definition().id("failed").owner(ALICE).build(), 1, 0, 0, 0, 0).failedOnce(1_500, "a");
        queue.add(failed);

        assertThat(queue.nextBackoffEnd(1_000)).as("until the backoff ends, for any other pilot").isEqualTo(500);
        assertThat(queue.nextBackoffEnd(1_500)).as("then until pilot a may have it again")
                .isEqualTo(failed.avoidUntilMs() - 1_500);
        assertThat(queue.take(1, 1_500, "a")).isEmpty();
        assertThat(ids(queue.take(1, 1_500, "b"))).containsExactly("failed");
    }

    @Test
    void queuedTasksAreCountedByUserAcrossTheirLanes() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "a0", 0));
        queue.add(task(ALICE, "a1", 5, List.of("gpu")));
        queue.add(task(ALICE, "a2", 0));
        queue.add(task(BOB, "b0", 0));
        queue.take(1, 0, "p");

        assertThat(queue.countByUser()).as("alice served first: a0 taken")
                .containsExactlyInAnyOrderEntriesOf(Map.of("alice", 2L, "bob", 1L));
        queue.removeTask("b0");
        assertThat(queue.countByUser()).containsExactlyInAnyOrderEntriesOf(Map.of("alice", 2L));
    }

    @Test
    void queuedAttemptsAreCountedByExecution() {
        var queue = new FairShareQueue(0);
        queue.add(Tasks.definition().id("x0").owner(ALICE).execution("x").queued());
        queue.add(Tasks.definition().id("x1").owner(ALICE).execution("x").queued());
        queue.add(Tasks.definition().id("y0").owner(ALICE).execution("y").queued());

        queue.take(1, 0, "p");
        queue.removeTask("y0");

        assertThat(queue.queuedOf("x")).isEqualTo(1);
        assertThat(queue.queuedOf("y")).isZero();
        assertThat(queue.queuedOf("unknown")).isZero();
    }

    @Test
    void onlyTasksStillQueuedAndHeldBackSayWhenToLookAgain() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "plain", 0));
        assertThat(queue.nextBackoffEnd(1_000)).as("nothing held back").isEqualTo(-1);

        queue.add(new QueuedTask(Tasks.definition().id("taken").owner(ALICE).build(), 1, 1, 0, 0, 5_000));
        queue.add(new QueuedTask(Tasks.definition().id("removed").owner(ALICE).build(), 1, 1, 0, 0, 3_000));
        assertThat(queue.nextBackoffEnd(1_000)).isEqualTo(2_000);

        queue.removeTask("removed");
        assertThat(queue.nextBackoffEnd(1_000)).as("the removed one no longer counts").isEqualTo(4_000);
        assertThat(ids(queue.take(3, 5_000, "p"))).containsExactlyInAnyOrder("plain", "taken");
        assertThat(queue.nextBackoffEnd(5_000)).as("the taken one no longer counts").isEqualTo(-1);
    }

    @Test
    void usersGoInOrderOfFewestRunningThenServedLeastRecently() {
        var queue = new FairShareQueue(0);
        for (var owner : List.of(ALICE, BOB, CAROL)) {
            for (int i = 0; i < 3; i++) {
                queue.add(task(owner, owner.username().charAt(0) + "" + i, 0));
            }
        }
        queue.running("alice", 2);
        queue.running("carol", 1);

        var taken = queue.take(7, 0, "p");

        // bob runs none; then carol and bob run one each, carol served longer ago; then all run two.
        assertThat(ids(taken)).containsExactly("b0", "c0", "b1", "a0", "c1", "b2", "a1");
    }

    @Test
    void aUserRunningTasksButQueuingNoneKeepsTheirCountForWhenTheyQueue() {
        var queue = new FairShareQueue(0);
        queue.running("bob", 2);
        queue.add(task(ALICE, "a0", 0));
        queue.add(task(ALICE, "a1", 0));
        queue.add(task(ALICE, "a2", 0));
        queue.add(task(BOB, "b0", 0));

        assertThat(ids(queue.take(3, 0, "p"))).containsExactly("a0", "a1", "b0");
    }

    @Test
    void aPilotWithoutTheTagNeverGetsATaggedTask() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "gpu", 10, List.of("gpu")));
        queue.add(task(ALICE, "plain", 0));

        assertThat(ids(queue.take(5, 0, "cpu-pilot", NO_TAGS, false))).containsExactly("plain");
        assertThat(queue.take(5, 0, "cpu-pilot", NO_TAGS, false)).isEmpty();
        assertThat(queue.take(5, 0, "cpu-pilot")).isEmpty();
        assertThat(ids(queue.take(5, 0, "gpu-pilot", Set.of("gpu", "ssd"), false))).containsExactly("gpu");
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aTaskNeedingSeveralTagsGoesOnlyToAPilotWithAllOfThem() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "first", 0, List.of("gpu", "cuda")));
        queue.add(task(ALICE, "second", 0, List.of("cuda", "gpu")));

        assertThat(queue.take(5, 0, "p1", GPU, false)).isEmpty();
        assertThat(ids(queue.take(5, 0, "p2", Set.of("cuda", "gpu", "ssd"), false))).containsExactly("first", "second");
    }

    @Test
    void priorityThenArrivalHoldAcrossTasksOfDifferentTags() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "first", 0));
        queue.add(task(ALICE, "second", 0, List.of("gpu")));
        queue.add(task(ALICE, "needs-ssd", 5, List.of("ssd")));
        queue.add(task(ALICE, "third", 0));
        queue.add(task(ALICE, "urgent", 5, List.of("gpu")));
        queue.add(task(ALICE, "fourth", 0, List.of("gpu")));

        assertThat(ids(queue.take(10, 0, "p", GPU, false))).containsExactly("urgent", "first", "second", "third", "fourth");
        assertThat(ids(queue.stream().toList())).containsExactly("needs-ssd");
    }

    @Test
    void aUserWithNothingForThisPilotIsPassedOverAndKeepsTheirTurn() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "a-gpu", 0, List.of("gpu")));
        for (int i = 0; i < 2; i++) {
            queue.add(task(BOB, "b" + i, 0));
            queue.add(task(CAROL, "c" + i, 0));
        }

        assertThat(ids(queue.take(4, 0, "cpu-pilot", NO_TAGS, false))).containsExactly("b0", "c0", "b1", "c1");

        queue.add(task(BOB, "b2", 0));
        assertThat(ids(queue.take(1, 0, "gpu-pilot", GPU, false))).containsExactly("a-gpu");
    }

    @Test
    void aTaskAvoidingAPilotGoesToAnotherWhileOthersServeThatPilot() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "replica", 0).replicaAvoiding("p1", 0));
        queue.add(task(BOB, "b0", 0));
        queue.running("bob", 3);

        assertThat(ids(queue.take(2, 0, "p1"))).containsExactly("b0");
        assertThat(ids(queue.take(2, 0, "p2"))).containsExactly("replica");
    }

    @Test
    void usersAtTheQuotaArePassedOverForUsersBelowIt() {
        var queue = new FairShareQueue(2);
        for (int i = 0; i < 5; i++) {
            queue.add(task(ALICE, "a" + i, 0));
            queue.add(task(BOB, "b" + i, 0));
        }
        queue.add(task(CAROL, "c0", 0));
        queue.running("carol", 2);

        assertThat(ids(queue.take(10, 0, "p"))).containsExactly("a0", "b0", "a1", "b1");
        queue.running("bob", -1);
        assertThat(ids(queue.take(10, 0, "p"))).containsExactly("b2");
        queue.running("carol", -1);
        assertThat(ids(queue.take(10, 0, "p"))).containsExactly("c0");
    }

    @Test
    void shortOnlyLeavesMonteCarloTasksForAFreeSlot() {
        var queue = new FairShareQueue(0);
        queue.add(monteCarlo(ALICE, "a-mc", 10));
        queue.add(task(ALICE, "a-short", 0));
        queue.add(monteCarlo(BOB, "b-mc", 0));
        queue.running("alice", 1);

        // bob, running none, has only a Monte-Carlo task: the short-only pick passes him over.
        assertThat(ids(queue.take(5, 0, "p", NO_TAGS, true))).containsExactly("a-short");
        assertThat(queue.take(5, 0, "p", NO_TAGS, true)).isEmpty();
        assertThat(ids(queue.take(5, 0, "p", NO_TAGS, false))).containsExactly("b-mc", "a-mc");
    }

    @Test
    void removedTasksLeaveTheQueueAndAnEmptiedUserTheTurnOrder() {
        var queue = new FairShareQueue(0);
        queue.add(task(ALICE, "a0", 0));
        queue.add(task(ALICE, "a1", 0, List.of("gpu")));
        queue.add(task(BOB, "b0", 0));
        queue.add(task(BOB, "b1", 0));

        queue.removeIf(q -> q.definition().id().startsWith("a") || q.definition().id().equals("b0"));

        assertThat(queue.size()).isEqualTo(1);
        assertThat(ids(queue.stream().toList())).containsExactly("b1");
        assertThat(ids(queue.take(5, 0, "p", GPU, false))).containsExactly("b1");
        assertThat(queue.isEmpty()).isTrue();
        queue.add(task(ALICE, "a2", 0));
        assertThat(ids(queue.take(5, 0, "p"))).containsExactly("a2");
    }

    @Test
    void theQueueKnowsWhichTasksHaveAnAttemptQueuedAsAttemptsAreTakenAndRemoved() {
        var queue = new FairShareQueue(0);
        QueuedTask straggler = task(ALICE, "a0", 0);
        queue.add(straggler);
        queue.add(straggler.replicaAvoiding("p1", 0));
        queue.add(task(ALICE, "a1", 0));
        queue.add(task(BOB, "b0", 0));

        assertThat(ids(queue.take(1, 0, "p2"))).containsExactly("a0");
        assertThat(queue.holds("a0")).as("its replica is still queued").isTrue();
        assertThat(ids(queue.take(1, 0, "p2"))).containsExactly("b0");
        assertThat(queue.holds("b0")).isFalse();

        queue.removeTask("a0");
        assertThat(queue.holds("a0")).isFalse();
        assertThat(queue.size()).isEqualTo(1);
        queue.removeTask("a0");
        assertThat(queue.size()).as("removing a task with nothing queued removes nothing").isEqualTo(1);

        queue.removeIf(queued -> queued.definition().id().equals("a1"));
        assertThat(queue.holds("a1")).isFalse();
        assertThat(queue.isEmpty()).isTrue();
    }
}
