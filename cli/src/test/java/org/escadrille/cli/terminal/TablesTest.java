package org.escadrille.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.escadrille.cli.api.AppSummary;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.Footprint;
import org.escadrille.cli.api.TaskCounts;
import org.junit.jupiter.api.Test;

class TablesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:05:00Z"), ZoneId.of("UTC"));

    @Test
    void columnsAreAlignedTwoSpacesApartWithoutTrailingSpaces() {
        String table = Table.render(List.of("A", "LONG HEADER", "C"),
                List.of(List.of("wide value", "x", ""), List.of("y", "z", "last")));

        assertThat(table).isEqualTo("""
                A           LONG HEADER  C
                wide value  x
                y           z            last
                """);
    }

    @Test
    void theStatusTableShowsOneExecutionPerRow() {
        Execution finished = new Execution("4b1f", "first", "pi", "1.0", "admin", "Finished",
                Instant.parse("2026-01-15T10:00:00Z"), null, Instant.parse("2026-01-15T10:00:03.200Z"), null, null,
                new TaskCounts(1, 0, 0, 1, 0, 0), 1.1, 3.2, null, List.of());
        Execution running = new Execution("77aa", null, "dose", null, "admin", "Running",
                Instant.parse("2026-01-15T10:03:00Z"), null, null, null, null,
                new TaskCounts(8, 2, 4, 1, 1, 0), null, null, null, List.of());

        String table = ExecutionTable.render(List.of(running, finished), CLOCK);

        assertThat(table).isEqualTo("""
                ID    NAME   APP     STATUS    TASKS           CREATED           DURATION
                77aa  -      dose    Running   2/8 (1 failed)  2026-01-15 10:03  2 min 00 s
                4b1f  first  pi 1.0  Finished  1/1             2026-01-15 10:00  3.2 s
                """);
    }

    @Test
    void theStatusOfAnExecutionSaysWhenTheRetentionPeriodDeletesIt() {
        Execution old = new Execution("4b1f", "first", "pi", "1.0", "admin", "Finished",
                Instant.parse("2026-01-15T10:00:00Z"), null, Instant.parse("2026-01-15T10:00:03.200Z"), null, null,
                new TaskCounts(1, 0, 0, 1, 0, 0), 1.1, 3.2, null, List.of(), null, Instant.parse("2026-04-15T10:00:03Z"));

        assertThat(ExecutionReport.render(old, List.of(), CLOCK))
                .containsPattern("Deletion +with its results on 2026-04-15 10:00 \\(the server's retention period\\)");
        assertThat(ExecutionReport.render(new Execution("4b1f", "first", "pi", "1.0", "admin", "Finished", null, null, null,
                null, null, new TaskCounts(1, 0, 0, 1, 0, 0), null, null, null, List.of()), List.of(), CLOCK))
                .doesNotContain("Deletion");
    }

    @Test
    void theCatalogueShowsInputsAsALaunchNamesThem() {
        AppSummary pi = new AppSummary("pi", "1.0", "Monte-Carlo pi", "d", List.of(
                new AppSummary.Input("events", "Events", "Number", false, false, null, null, null),
                new AppSummary.Input("seed", "Seed", "Number", true, false, null, null, null),
                new AppSummary.Input("images", "Images", "File", false, true, null, null, null)), List.of());

        assertThat(CatalogueTable.render(List.of(pi))).isEqualTo("""
                NAME  VERSION  INPUTS
                pi    1.0      events:Number seed:Number? images:File[]
                """);
    }

    @Test
    void theSummaryOfARunSaysWhatRanHowLongAndWhereTheResultsAre() {
        Execution done = new Execution("4b1f", null, "pi", "1.0", null, "Finished",
                Instant.parse("2026-01-15T10:00:00Z"), null, Instant.parse("2026-01-15T10:00:03.200Z"), null, null,
                new TaskCounts(1, 0, 0, 1, 0, 0), 1.1, null, null, List.of());

        assertThat(RunSummary.finished(done, null, 1, "./escadrille-results/4b1f/"))
                .isEqualTo("Finished 4b1f pi in 3.2 s, 1 task, 1.1 CPU·s; 1 output in ./escadrille-results/4b1f/");
    }

    @Test
    void theSummaryOfARunSaysWhatItsAttemptsCostAlsoWhenItFailed() {
        var footprint = new Footprint(9.9064, 0.49532, 0.00125, 0.00283, 0.00054);
        Execution done = new Execution("4b1f", null, "pi", "1.0", null, "Finished",
                Instant.parse("2026-01-15T10:00:00Z"), null, Instant.parse("2026-01-15T10:00:03.200Z"), null, null,
                new TaskCounts(1, 0, 0, 1, 0, 0), 1.1, null, null, List.of(), footprint);
        Execution failed = new Execution("4b1f", null, "pi", "1.0", null, "ExecutionFailed",
                Instant.parse("2026-01-15T10:00:00Z"), null, Instant.parse("2026-01-15T10:00:03.200Z"), null, null,
                new TaskCounts(1, 0, 0, 0, 1, 0), 1.1, null, "exit code 3", List.of(), footprint);

        assertThat(RunSummary.finished(done, null, 1, "./escadrille-results/4b1f/"))
                .isEqualTo("Finished 4b1f pi in 3.2 s, 1 task, 1.1 CPU·s, 9.91 Wh, 0.495 g CO2e; 1 output in ./escadrille-results/4b1f/");
        assertThat(RunSummary.failed(failed, null))
                .isEqualTo("ExecutionFailed 4b1f pi after 3.2 s, 1 task (1 failed), 9.91 Wh, 0.495 g CO2e: exit code 3");
        assertThat(HumanUnits.footprint(12_345, 0.0123)).isEqualTo("12.3 kWh, 0.0123 g CO2e");
    }

    @Test
    void humanUnitsReadNaturally() {
        assertThat(HumanUnits.bytes(512)).isEqualTo("512 B");
        assertThat(HumanUnits.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(HumanUnits.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
        assertThat(HumanUnits.duration(Duration.ofSeconds(3725))).isEqualTo("1 h 02 min");
    }
}
