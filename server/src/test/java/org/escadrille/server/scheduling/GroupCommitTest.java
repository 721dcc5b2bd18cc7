package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.escadrille.server.ServiceBusyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Writes that arrive while a batch is being written go together into the next one; each caller gets its own outcome. */
class GroupCommitTest {
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchMayEnd = new CountDownLatch(1);
    private GroupCommit<Integer, Integer> commits;

    @AfterEach
    void stop() {
        if (commits != null) {
            commits.close();
        }
    }

    @Test
    void writesThatArriveWhileABatchIsWrittenShareTheNextBatchAndEachGetsItsOwnOutcome() {
        commits = new GroupCommit<>("test-writes", this::doubleEach, Duration.ZERO, 256);
        var first = commits.submit(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);

        var next = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 1; i <= 50; i++) {
            next.add(commits.submit(i));
        }
        firstBatchMayEnd.countDown();

        assertThat(first.join()).isZero();
        for (int i = 1; i <= 50; i++) {
            assertThat(next.get(i - 1).join()).isEqualTo(2 * i);
        }
        assertThat(batches).extracting(List::size).containsExactly(1, 50);
    }

    @Test
    void aBatchIsNoLargerThanItsBound() {
        commits = new GroupCommit<>("test-writes", this::doubleEach, Duration.ZERO, 20);
        commits.submit(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
        var next = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 1; i <= 50; i++) {
            next.add(commits.submit(i));
        }
        firstBatchMayEnd.countDown();

        CompletableFuture.allOf(next.toArray(CompletableFuture[]::new)).join();
        assertThat(batches).extracting(List::size).containsExactly(1, 20, 20, 10);
    }

    @Test
    void aBatchThatFailsFailsEachOfItsCallersAsBusy() {
        commits = new GroupCommit<>("test-writes", writes -> {
            throw new IllegalStateException("the database is away");
        }, Duration.ofMillis(5), 256);

        assertThatThrownBy(() -> commits.write(1)).isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("try again").hasRootCauseMessage("the database is away");
    }

    private List<Integer> doubleEach(List<Integer> writes) {
        batches.add(List.copyOf(writes));
        if (batches.size() == 1) {
            try {
                assertThat(firstBatchMayEnd.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return writes.stream().map(w -> 2 * w).toList();
    }
}
