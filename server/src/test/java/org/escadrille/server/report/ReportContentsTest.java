package org.escadrille.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.escadrille.server.execution.ExecutionStatus;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;
import org.escadrille.server.footprint.Footprint;
import org.junit.jupiter.api.Test;

class ReportContentsTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private static ExecutionView execution(ExecutionStatus status) {
        return new ExecutionView("e1", "run", "app", "1", "digest", "alice", status, T0, T0, null, null, "cross",
                "executions/e1", new ExecutionView.TaskCounts(2, 0, 1, 1, 0, 0), 0, 0, null, List.of(), null);
    }

    private static TaskView.AttemptView attempt(String id, String pilot, String host, String status, int start, Integer end,
                                                Double cpu, Double wall, Long peakKb, Footprint.OfAttempt footprint) {
        return new TaskView.AttemptView(id, pilot, host, status, T0.plusSeconds(start), T0.plusSeconds(start),
                end == null ? null : T0.plusSeconds(end), null, cpu, wall, peakKb, null, null, footprint);
    }

    @Test
    void aTaskSumsItsAttemptsTimesAndEnergyKeepsItsLargestMemoryAndRunsWhereItsLatestAttemptRan() {
        var failed = attempt("a1", "p1", "node-1", "FAILED", 0, 10, 4.0, 10.0, 2_000L, new Footprint.OfAttempt(0.5, 0.2, true));
        var succeeded = attempt("a2", "p2", "node-2", "SUCCEEDED", 10, 30, 18.0, 20.0, 1_000L,
                new Footprint.OfAttempt(1.5, 0.6, false));
        var task = new TaskView("t0", 0, "x=a", "SUCCEEDED", "cmd a", List.of(failed, succeeded));

        var report = ReportContents.of(execution(ExecutionStatus.Finished), List.of(task), Map.of(),
                Map.of("p1", "far", "p2", "near"), List.of(), List.of(), T0.plusSeconds(60));

        var row = report.tasks().getFirst();
        assertThat(row.number()).isEqualTo(1);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.cpuSeconds()).isEqualTo(22.0);
        assertThat(row.wallSeconds()).isEqualTo(30.0);
        assertThat(row.peakRssKb()).isEqualTo(2_000L);
        assertThat(row.footprint().energyWh()).isEqualTo(2.0);
        assertThat(row.footprint().carbonGrams()).isCloseTo(0.8, within(1e-12));
        assertThat(row.host()).isEqualTo("node-2");
        assertThat(row.site()).isEqualTo("near");
        assertThat(report.snapshot()).isFalse();
    }

    @Test
    void aRunningAttemptCountsItsWallTimeSoFarAndTheReportIsASnapshot() {
        var running = attempt("a1", "p1", "node-1", "RUNNING", 5, null, 2.0, null, 500L, null);
        var waiting = new TaskView("t1", 1, "x=b", "QUEUED", "cmd b", List.of());

        var report = ReportContents.of(execution(ExecutionStatus.Running),
                List.of(new TaskView("t0", 0, "x=a", "RUNNING", "cmd a", List.of(running)), waiting), Map.of(), Map.of(),
                List.of(), List.of(), T0.plusSeconds(65));

        assertThat(report.snapshot()).isTrue();
        assertThat(report.tasks()).extracting(ReportContents.TaskRow::wallSeconds).containsExactly(60.0, 0.0);
        assertThat(report.tasks().get(1).host()).isNull();
        assertThat(report.timeline().bars()).hasSize(1);
    }

    @Test
    void eachResourceChartScalesItsBarsToTheLargestTask() {
        var one = new TaskView("t0", 0, "x=a", "SUCCEEDED", "cmd",
                List.of(attempt("a1", "p1", "h", "SUCCEEDED", 0, 10, 10.0, 10.0, 4_096L, null)));
        var two = new TaskView("t1", 1, "x=b", "SUCCEEDED", "cmd",
                List.of(attempt("a2", "p1", "h", "SUCCEEDED", 0, 5, 5.0, 5.0, null, null)));

        var report = ReportContents.of(execution(ExecutionStatus.Finished), List.of(one, two), Map.of(), Map.of(),
                List.of(), List.of(), T0.plusSeconds(10));

        var cpu = report.charts().getFirst();
        double full = ResourceChart.WIDTH - ResourceChart.LEFT - ResourceChart.RIGHT;
        assertThat(cpu.bars()).extracting(ResourceChart.Bar::width).containsExactly(full, full / 2);
        assertThat(cpu.bars()).extracting(ResourceChart.Bar::label).containsExactly("1 x=a", "2 x=b");
        var memory = report.charts().get(2);
        assertThat(memory.memory()).isTrue();
        assertThat(memory.bars()).extracting(ResourceChart.Bar::width).containsExactly(full, 0.0);
    }
}
