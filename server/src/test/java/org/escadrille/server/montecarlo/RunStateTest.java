package org.escadrille.server.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import org.escadrille.server.account.Account;
import org.junit.jupiter.api.Test;

/** What a run in memory derives from its counts: the events running now, and how many tasks it may make. */
class RunStateTest {
    private final RunState run = new RunState("e1", null, Split.DYNAMIC, 1_000, 42,
            new Account("u1", "alice", Account.Role.USER), "executions/e1");

    @Test
    void theRunningEventsAreTheSumOfTheLatestReports() {
        run.running.put("a", 100L);
        run.running.put("b", 250L);
        run.running.put("a", 150L);

        assertThat(run.runningEvents()).isEqualTo(400);
    }

    @Test
    void aRunMakesAtMostFourTimesTheTasksItStartedWithAndNeverFewerThanEight() {
        run.initialCount = 1;
        assertThat(run.spawnLimit()).isEqualTo(8);

        run.initialCount = 5;
        assertThat(run.spawnLimit()).isEqualTo(20);

        run.initialCount = 0;
        assertThat(run.spawnLimit()).isEqualTo(8);
    }
}
