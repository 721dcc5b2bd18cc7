package org.escadrille.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineSvgTest {
    private static final Timeline TIMELINE = new Timeline("A & B <test>",
            List.of(new Timeline.Lane("pilot 1 (0.8 core)"), new Timeline.Lane("pilot 2 (0.2 core)")),
            List.of(new Timeline.Bar(0, "p1", "t1", 0, "STOPPED", 0.5, 1.0, 40.0, 32_000_000_000L),
                    new Timeline.Bar(1, "p2", "t2", 1, "LOST", 0.5, 1.5, 12.0, null)),
            List.of(new Timeline.Marker(12.0, "pilot 2 killed", "#c62828")), 41.0);

    @Test
    void drawsOneLanePerPilotAndOneBarPerAttemptColouredByOutcome() {
        String svg = TimelineSvg.render(TIMELINE);

        assertThat(svg).startsWith("<svg").endsWith("</svg>\n")
                .contains("pilot 1 (0.8 core)", "pilot 2 (0.2 core)", "pilot 2 killed")
                .contains(TimelineSvg.COLOURS.get("STOPPED"), TimelineSvg.COLOURS.get("LOST"))
                .contains("stopped 32.00 G");
    }

    @Test
    void escapesTextForXml() {
        assertThat(TimelineSvg.render(TIMELINE)).contains("A &amp; B &lt;test&gt;").doesNotContain("<test>");
    }

    @Test
    void axisEndsOnARoundNumber() {
        assertThat(TimelineSvg.niceCeiling(41.0)).isEqualTo(50.0);
        assertThat(TimelineSvg.niceCeiling(97.0)).isEqualTo(100.0);
        assertThat(TimelineSvg.tickStep(100.0)).isEqualTo(20.0);
    }
}
