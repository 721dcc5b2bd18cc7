package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.escadrille.server.account.Account;
import org.junit.jupiter.api.Test;

class FairShareQueueTest {
    private static final Account ALICE = new Account("a", "alice", Account.Role.USER);
    private static final Account BOB = new Account("b", "bob", Account.Role.USER);

    private static QueuedTask task(Account owner, String id, int priority) {
        var spec = new TaskSpec("true", List.of(), List.of(), List.of(), null, null, 0, null, null, null);
        return new QueuedTask(new NewTask(id, "e-" + owner.username(), owner, 0, id, "out", spec, priority), 0, 0, 0, 0);
    }

    private static List<String> ids(List<QueuedTask> tasks) {
        return tasks.stream().map(t -> t.task().id()).toList();
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
        var spec = new TaskSpec("true", List.of(), List.of(), List.of(), null, null, 0, null, null, null);
        queue.add(new QueuedTask(new NewTask("later", "e", ALICE, 0, "l", "o", spec, 0), 1, 1, 0, 5_000));
        queue.add(task(ALICE, "now", 0));

        assertThat(ids(queue.take(2, 1_000, "p"))).containsExactly("now");
        assertThat(queue.nextBackoffEnd(1_000)).isEqualTo(4_000);
        assertThat(ids(queue.take(2, 5_000, "p"))).containsExactly("later");
    }
}
