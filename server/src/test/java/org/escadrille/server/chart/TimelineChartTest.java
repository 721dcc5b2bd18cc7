package org.escadrille.server.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.escadrille.server.execution.TaskView;
import org.junit.jupiter.api.Test;

class TimelineChartTest {
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private static TaskView.AttemptView attempt(String id, String pilot, String status, int start, Integer end) {
        return new TaskView.AttemptView(id, pilot, "host", status, T0.plusSeconds(start), T0.plusSeconds(start),
                end == null ? null : T0.plusSeconds(end), null, null, null, null, null, null);
    }

    private static TaskView task(int index, TaskView.AttemptView... attempts) {
        return new TaskView("t" + index, index, "task" + index, attempts[attempts.length - 1].status(), "cmd", List.of(attempts));
    }

    @Test
    void overlappingAttemptsOfOnePilotGetOneLaneEachAndLaterOnesReuseAFreedLane() {
        var chart = TimelineChart.of(List.of(
                task(0, attempt("a", "p1", "SUCCEEDED", 0, 10)),
                task(1, attempt("b", "p1", "SUCCEEDED", 2, 8)),
                task(2, attempt("c", "p1", "FAILED", 9, 20))), T0.plusSeconds(30));

        assertThat(chart.lanes()).extracting(TimelineChart.Lane::label).containsExactly("pilot p1, slot 1", "pilot p1, slot 2");
        assertThat(chart.bars()).hasSize(3);
        // c starts at 9 s: lane 1 is busy until 10 s, lane 2 has been free since 8 s
        assertThat(chart.bars().get(2).y()).isEqualTo(chart.bars().get(1).y());
        assertThat(chart.bars()).extracting(TimelineChart.Bar::status).containsExactly("SUCCEEDED", "SUCCEEDED", "FAILED");
    }

    @Test
    void eachPilotHasItsOwnLanesAndARetryOnTheSamePilotFollowsOnTheSameLane() {
        var chart = TimelineChart.of(List.of(
                task(0, attempt("a", "p1", "LOST", 0, 5), attempt("b", "p2", "SUCCEEDED", 6, 12)),
                task(1, attempt("c", "p1", "SUCCEEDED", 5, 9))), T0.plusSeconds(30));

        assertThat(chart.lanes()).extracting(TimelineChart.Lane::label).containsExactly("pilot p1, slot 1", "pilot p2, slot 1");
        var bars = chart.bars();
        assertThat(bars.get(0).y()).isEqualTo(bars.get(1).y()); // a then c on p1's only slot
        assertThat(bars.get(2).y()).isGreaterThan(bars.get(0).y());
    }

    @Test
    void aRunningAttemptReachesNowAndTheAxisCoversTheWholeSpanInRoundSteps() {
        var chart = TimelineChart.of(List.of(task(0, attempt("a", "p1", "RUNNING", 0, null))), T0.plusSeconds(95));

        var bar = chart.bars().getFirst();
        assertThat(bar.x()).isEqualTo(chart.left());
        assertThat(bar.x() + bar.width()).isLessThanOrEqualTo(chart.right()).isGreaterThan(chart.right() * 0.7);
        assertThat(chart.ticks()).extracting(TimelineChart.Tick::label).contains("0 s", "30 s", "1 min", "1 min 30 s");
    }

    @Test
    void noAttemptNoBar() {
        var waiting = new TaskView("t", 0, "task", "QUEUED", "cmd", List.of());
        assertThat(TimelineChart.of(List.of(waiting), T0).isEmpty()).isTrue();
    }

    @Test
    void aPilotNeverGetsMoreLanesThanItHasSlots() {
        // c is leased while a and b still count as running (their ends are recorded late): on a 2-slot
        // pilot it took the slot b freed, there is no third slot to draw
        var tasks = List.of(
                task(0, attempt("a", "p1", "SUCCEEDED", 0, 10)),
                task(1, attempt("b", "p1", "SUCCEEDED", 2, 8)),
                task(2, attempt("c", "p1", "STOPPED", 7, 15)));

        var chart = TimelineChart.of(tasks, Map.of("p1", 2), T0.plusSeconds(30), TimelineChart.WIDE);

        assertThat(chart.lanes()).extracting(TimelineChart.Lane::label).containsExactly("pilot p1, slot 1", "pilot p1, slot 2");
        assertThat(chart.bars().get(2).y()).as("c follows b, which ends first").isEqualTo(chart.bars().get(1).y());
    }

    @Test
    void theLegendNamesEveryColourDrawnAndNoOther() {
        var chart = TimelineChart.of(List.of(
                task(0, attempt("a", "p1", "LEASED", 5, null)),
                task(1, attempt("b", "p1", "STOPPED", 0, 4)),
                task(2, attempt("c", "p2", "SUCCEEDED", 0, 3))), T0.plusSeconds(6));

        assertThat(chart.legend()).extracting(TimelineChart.Key::status)
                .containsExactlyInAnyOrderElementsOf(chart.bars().stream().map(TimelineChart.Bar::status).distinct().toList())
                .containsExactly("SUCCEEDED", "STOPPED", "LEASED");
        assertThat(chart.legend()).extracting(TimelineChart.Key::words).containsExactly("succeeded", "stopped as planned", "starting");
    }

    @Test
    void thePhoneDrawingIsNarrowWithShortLabelsAndFewerTicks() {
        var tasks = List.of(task(0, attempt("a", "p1abcdef", "RUNNING", 0, null)));

        var narrow = TimelineChart.of(tasks, Map.of(), T0.plusSeconds(95), TimelineChart.NARROW);
        var wide = TimelineChart.of(tasks, Map.of(), T0.plusSeconds(95), TimelineChart.WIDE);

        assertThat(narrow.width()).isLessThanOrEqualTo(400);
        assertThat(narrow.lanes()).extracting(TimelineChart.Lane::label).containsExactly("p1ab #1");
        assertThat(narrow.lanes().getFirst().title()).contains("pilot p1abcdef", "slot 1");
        assertThat(narrow.ticks().size()).isLessThan(wide.ticks().size()).isGreaterThanOrEqualTo(2);
    }
}
