package org.escadrille.server.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.MovableClock;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.scheduling.PilotRegistry.PilotInfo;
import org.escadrille.server.scheduling.TaskNeeds;
import org.junit.jupiter.api.Test;

/**
 * The pilot factory's rules for one site, against a fake engine and a clock that moves only when told:
 * how many pilots a site gets, for which work, and what failures and disabling do.
 */
class SiteSupervisorTest {
    private static final SiteSupervisor.Rules RULES = new SiteSupervisor.Rules(2, Duration.ofSeconds(120),
            Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(4));

    private final MovableClock clock = new MovableClock();
    private final FakeBackend engine = new FakeBackend();
    private final FakeBook book = new FakeBook();
    private final SiteSupervisor supervisor = new SiteSupervisor(engine, Map.of(), RULES, clock);

    @Test
    void submitsNoPilotWithoutQueuedWork() {
        round(cluster(), Map.of());

        assertThat(engine.submitted).isEmpty();
    }

    @Test
    void submitsOnlyForQueuedTasksItCanRun_slotsPerPilotRoundedUp() {
        var site = cluster(limits(5, 10, 64, 2), List.of());

        round(site, Map.of(Set.of(), 3, Set.of("gpu"), 7));

        assertThat(engine.submitted).as("3 untagged tasks on pilots of 2 slots; the gpu tasks are not for this site").hasSize(2);
        assertThat(engine.submitted.getFirst().slots()).isEqualTo(2);
    }

    @Test
    void aTaskThatNeedsATagGoesOnlyToASiteWithIt() {
        var gpuSite = cluster(limits(5, 10, 64, 1), List.of("gpu", "big"));

        round(gpuSite, Map.of(Set.of("gpu"), 1, Set.of("fpga"), 5));

        assertThat(engine.submitted).hasSize(1);
        assertThat(engine.submitted.getFirst().options()).containsSequence("--tags", "gpu,big");
    }

    @Test
    void submitsOnlyForTasksWhoseCoresAndMemoryFitItsPilots() {
        var site = new Site("cluster-a", "slurm", true, Map.of(), new Site.Limits(100, 100, 1000, 4, 8192L), List.of(),
                clock.instant(), "admin", null);
        var generous = new SiteSupervisor(engine, Map.of(), new SiteSupervisor.Rules(100, RULES.idleTimeout(),
                RULES.backoff(), RULES.maxBackoff(), RULES.silentAfter()), clock);
        var queued = new Demand(Map.of(
                new TaskNeeds(Set.of(), 8, 0), 3,        // more cores than a pilot has
                new TaskNeeds(Set.of(), 1, 16_384), 5,   // more memory than a pilot offers
                new TaskNeeds(Set.of(), 4, 0), 2,        // a pilot each
                new TaskNeeds(Set.of(), 2, 4_096), 4));  // two to a pilot, by cores and by memory

        generous.round(site, book.alive(), queued, book);

        assertThat(engine.submitted).hasSize(4);
        assertThat(engine.submitted.getFirst().options()).containsSequence("--memory-mb", "8192");
        assertThat(queued.left(new TaskNeeds(Set.of(), 8, 0))).as("left for another site").isEqualTo(3);
        assertThat(queued.left(new TaskNeeds(Set.of(), 2, 4_096))).isZero();
    }

    @Test
    void tasksOfSeveralSizesSharePilots() {
        var site = cluster(limits(100, 100, 1000, 4), List.of());
        var generous = new SiteSupervisor(engine, Map.of(), new SiteSupervisor.Rules(100, RULES.idleTimeout(),
                RULES.backoff(), RULES.maxBackoff(), RULES.silentAfter()), clock);

        generous.round(site, book.alive(), new Demand(Map.of(new TaskNeeds(Set.of(), 2, 0), 3, TaskNeeds.plain(), 2)), book);

        assertThat(engine.submitted).as("three 2-core tasks and two 1-core ones fill two pilots of 4 slots").hasSize(2);
    }

    @Test
    void twoSitesAbleToRunTheSameTasksShareThemInsteadOfBothTakingAll() {
        var rules = new SiteSupervisor.Rules(100, RULES.idleTimeout(), RULES.backoff(), RULES.maxBackoff(), RULES.silentAfter());
        var first = new Site("a-cluster", "slurm", true, Map.of(), limits(3, 10, 64, 2), List.of(), clock.instant(), "admin", null);
        var second = new Site("b-cluster", "slurm", true, Map.of(), limits(10, 10, 64, 2), List.of(), clock.instant(), "admin", null);
        var firstEngine = new FakeBackend();
        var secondEngine = new FakeBackend();
        var firstSupervisor = new SiteSupervisor(firstEngine, Map.of(), rules, clock);
        var secondSupervisor = new SiteSupervisor(secondEngine, Map.of(), rules, clock);
        var firstBook = new FakeBook();
        var secondBook = new FakeBook();

        for (int round = 0; round < 3; round++) {
            // The same ten queued tasks each round: the pilots submitted have not registered yet.
            var demand = new Demand(Map.of(TaskNeeds.plain(), 10));
            firstSupervisor.round(first, firstBook.alive(), demand, firstBook);
            secondSupervisor.round(second, secondBook.alive(), demand, secondBook);
            assertThat(demand.left(TaskNeeds.plain())).as("round %d: every task claimed once", round).isZero();
        }

        assertThat(firstEngine.submitted).as("the first site, up to its 3 queued pilots: 6 tasks").hasSize(3);
        assertThat(secondEngine.submitted).as("the second, for the 4 tasks left, not for all 10").hasSize(2);
    }

    @Test
    void aBackedOffSiteLeavesItsShareToTheNext() {
        var failing = cluster().with(new Site.Health(null, 1, clock.instant(), "refused", clock.instant().plusSeconds(60)));
        var demand = new Demand(Map.of(TaskNeeds.plain(), 4));

        supervisor.round(failing, book.alive(), demand, book);

        assertThat(engine.submitted).isEmpty();
        assertThat(demand.left(TaskNeeds.plain())).isEqualTo(4);
    }

    @Test
    void neverMorePilotsWaitingThanMaxQueued() {
        var site = cluster(limits(2, 10, 64, 1), List.of());
        var rules = new SiteSupervisor.Rules(100, RULES.idleTimeout(), RULES.backoff(), RULES.maxBackoff(), RULES.silentAfter());
        var generous = new SiteSupervisor(engine, Map.of(), rules, clock);

        generous.round(site, book.alive(), demand(Map.of(Set.of(), 50)), book);
        generous.round(site, book.alive(), demand(Map.of(Set.of(), 50)), book);

        assertThat(engine.submitted).as("two waiting in the engine, none registered yet").hasSize(2);
    }

    @Test
    void neverMorePilotsThanMaxRunningNorSlotsThanMaxSlots() {
        var rules = new SiteSupervisor.Rules(100, RULES.idleTimeout(), RULES.backoff(), RULES.maxBackoff(), RULES.silentAfter());
        var generous = new SiteSupervisor(engine, Map.of(), rules, clock);
        var byRunning = cluster(limits(100, 3, 1000, 1), List.of());
        for (int i = 0; i < 5; i++) {
            generous.round(byRunning, book.alive(), demand(Map.of(Set.of(), 50)), book);
            book.registerAll();
        }
        assertThat(engine.submitted).hasSize(3);

        var bySlots = new SiteSupervisor(new FakeBackend(), Map.of(), rules, clock);
        var slotsEngine = (FakeBackend) bySlots.backend();
        var otherBook = new FakeBook();
        var site = cluster(limits(100, 100, 10, 4), List.of());
        for (int i = 0; i < 5; i++) {
            bySlots.round(site, otherBook.alive(), demand(Map.of(Set.of(), 50)), otherBook);
            otherBook.registerAll();
        }
        assertThat(slotsEngine.submitted).as("two pilots of 4 slots fit in 10, a third would not").hasSize(2);
    }

    @Test
    void submissionsPerRoundAreBounded() {
        var site = cluster(limits(100, 100, 1000, 1), List.of());

        round(site, Map.of(Set.of(), 50));

        assertThat(engine.submitted).hasSize(RULES.submissionsPerRound());
    }

    @Test
    void aFailedSubmissionBacksTheSiteOffExponentiallyAndLosesNoTask() {
        var site = cluster();
        engine.refuse = "sbatch: error: invalid partition specified: nope";

        var health = round(site, Map.of(Set.of(), 5));

        assertThat(health.consecutiveFailures()).isEqualTo(1);
        assertThat(health.lastError()).contains("invalid partition");
        assertThat(health.backoffUntil()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(book.gone).as("the pilot minted for the refused submission is ended").hasSize(1);

        engine.refuse = null;
        clock.advance(Duration.ofSeconds(5));
        site = site.with(health);
        health = round(site, Map.of(Set.of(), 5));
        assertThat(engine.submitted).as("still backed off").isEmpty();

        engine.refuse = "sbatch: error: Batch job submission failed";
        clock.advance(Duration.ofSeconds(5));
        health = round(site, Map.of(Set.of(), 5));
        assertThat(health.consecutiveFailures()).isEqualTo(2);
        assertThat(health.backoffUntil()).as("doubled").isEqualTo(clock.instant().plusSeconds(20));
        assertThat(health.failingSince()).isEqualTo(clock.instant().minusSeconds(10));
    }

    @Test
    void theBackoffIsCapped() {
        var site = cluster().with(new Site.Health(null, 30, clock.instant(), "old", null));
        engine.refuse = "refused";

        var health = round(site, Map.of(Set.of(), 5));

        assertThat(health.backoffUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void aSiteRecoversWhenOneOfItsPilotsRegisters() {
        var site = cluster().with(new Site.Health(null, 3, clock.instant(), "earlier failure", clock.instant()));
        var health = round(site, Map.of(Set.of(), 1));
        assertThat(engine.submitted).hasSize(1);
        assertThat(health.healthy()).isFalse();

        book.registerAll();
        health = round(site.with(health), Map.of());

        assertThat(health.healthy()).isTrue();
        assertThat(health.backoffUntil()).isNull();
    }

    @Test
    void aPilotThatDiesBeforeRegisteringIsAFailure() {
        var site = cluster();
        var health = round(site, Map.of(Set.of(), 1));
        String pilot = engine.submitted.getFirst().pilotId();

        engine.active.remove(pilot);
        health = round(site.with(health), Map.of());

        assertThat(book.gone).containsExactly(pilot + " died");
        assertThat(health.consecutiveFailures()).isEqualTo(1);
        assertThat(health.lastError()).contains(pilot, "before it registered");
    }

    @Test
    void aRegisteredPilotThatEndsIsNoFailure() {
        var site = cluster();
        round(site, Map.of(Set.of(), 1));
        book.registerAll();
        engine.active.clear();

        var health = round(site, Map.of());

        assertThat(health.healthy()).isTrue();
        assertThat(book.gone).hasSize(1);
    }

    @Test
    void aDisabledSiteGetsNoPilotAndItsWaitingPilotsAreCancelled() {
        var site = cluster(limits(3, 10, 64, 1), List.of());
        round(site, Map.of(Set.of(), 2));
        assertThat(engine.submitted).hasSize(2);
        String running = engine.submitted.get(0).pilotId();
        book.register(running);

        var disabled = site.with(false, site.settings(), site.limits(), site.tags());
        round(disabled, Map.of(Set.of(), 10));

        assertThat(engine.submitted).hasSize(2);
        assertThat(engine.cancelled).containsExactly(engine.submitted.get(1).pilotId());
        assertThat(engine.active).as("the running pilot drains on its own").containsExactly(running);
    }

    @Test
    void theLocalSiteKeepsItsPilotsWithoutWaitingForWork() {
        var local = new Site(Site.LOCAL, Site.LOCAL, true, Map.of(), new Site.Limits(2, 2, 8, 4, null), List.of(),
                clock.instant(), "-", null);

        round(local, Map.of());
        assertThat(engine.submitted).hasSize(2);
        assertThat(engine.submitted.getFirst().options()).doesNotContain("--idle-timeout");

        engine.active.remove(engine.submitted.getFirst().pilotId());
        round(local, Map.of());
        assertThat(engine.submitted).as("started again").hasSize(3);
    }

    @Test
    void elasticPilotsGetAnIdleTimeoutAndTheSitesTimeLimit() {
        var site = new Site("cluster-a", "slurm", true, Map.of("time-limit", "2h", "idle-timeout", "30s", "sandbox", "none"),
                limits(2, 10, 64, 1), List.of(), clock.instant(), "admin", null);

        assertThat(supervisor.options(site)).containsSequence("--idle-timeout", "30")
                .containsSequence("--time-limit", "7200").containsSequence("--sandbox", "none");
        assertThat(supervisor.options(cluster())).containsSequence("--idle-timeout", "120").doesNotContain("--time-limit");
    }

    @Test
    void manualPilotsNotHeardFromAreTakenForGone() {
        var manual = new SiteSupervisor(null, Map.of(), RULES, clock);
        var site = new Site("lab", Site.MANUAL, true, Map.of(), Site.Limits.DEFAULTS, List.of(), clock.instant(), "admin", null);
        long now = clock.millis();
        var fresh = new PilotInfo("fresh", "manual", "RUNNING", "h", 2, now, now - 1_000);
        var silent = new PilotInfo("silent", "manual", "RUNNING", "h", 2, now - 600_000, now - 300_000);

        manual.round(site, List.of(fresh, silent), demand(Map.of()), book);

        assertThat(book.gone).containsExactly("silent silent");
    }

    private Site.Health round(Site site, Map<Set<String>, Integer> queued) {
        return supervisor.round(site, book.alive(), demand(queued), book);
    }

    /** Queued one-core tasks without a memory requirement, by the tags they need. */
    private static Demand demand(Map<Set<String>, Integer> byTags) {
        var byNeeds = new HashMap<TaskNeeds, Integer>();
        byTags.forEach((tags, count) -> byNeeds.put(new TaskNeeds(tags, 1, 0), count));
        return new Demand(byNeeds);
    }

    private Site cluster() {
        return cluster(limits(2, 10, 64, 1), List.of());
    }

    private Site cluster(Site.Limits limits, List<String> tags) {
        return new Site("cluster-a", "slurm", true, Map.of(), limits, tags, clock.instant(), "admin", null);
    }

    private static Site.Limits limits(int maxQueued, int maxRunning, int maxSlots, int slotsPerPilot) {
        return new Site.Limits(maxQueued, maxRunning, maxSlots, slotsPerPilot, null);
    }

    /** An engine that accepts (or refuses) submissions and lists what it accepted. */
    private static final class FakeBackend implements Backend {
        final List<PilotLaunch> submitted = new ArrayList<>();
        final Set<String> active = new LinkedHashSet<>();
        final List<String> cancelled = new ArrayList<>();
        String refuse;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void submit(PilotLaunch launch) throws IOException {
            if (refuse != null) {
                throw new IOException(refuse);
            }
            submitted.add(launch);
            active.add(launch.pilotId());
        }

        @Override
        public Set<String> active() {
            return Set.copyOf(active);
        }

        @Override
        public void cancel(String pilotId) {
            cancelled.add(pilotId);
            active.remove(pilotId);
        }
    }

    /** The registry as the supervisor sees it: pilots minted, their states, and those reported gone. */
    private final class FakeBook implements PilotBook {
        final Map<String, String> states = new LinkedHashMap<>();
        final Map<String, Integer> slots = new HashMap<>();
        final List<String> gone = new ArrayList<>();
        private int next;

        @Override
        public PilotRegistry.Credentials mint(Site site) {
            String id = "p" + next++;
            states.put(id, "SUBMITTED");
            slots.put(id, site.limits().slotsPerPilot());
            return new PilotRegistry.Credentials(id, "token-" + id);
        }

        @Override
        public PilotLaunch launch(PilotRegistry.Credentials credentials, Site site, List<String> options) {
            return new PilotLaunch(credentials.pilotId(), credentials.token(), "http://127.0.0.1:1", Path.of("pilot.jar"),
                    site.limits().slotsPerPilot(), Path.of("work"), null, options);
        }

        @Override
        public void gone(String pilotId, String why) {
            gone.add(pilotId + " " + why);
            states.remove(pilotId);
        }

        void register(String id) {
            states.put(id, "RUNNING");
        }

        void registerAll() {
            states.replaceAll((id, state) -> "RUNNING");
        }

        List<PilotInfo> alive() {
            return states.entrySet().stream().map(e -> new PilotInfo(e.getKey(), "fake", e.getValue(), null,
                    "RUNNING".equals(e.getValue()) ? slots.get(e.getKey()) : null, clock.millis(), null)).toList();
        }
    }
}
