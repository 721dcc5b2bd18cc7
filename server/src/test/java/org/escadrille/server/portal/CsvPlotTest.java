package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvPlotTest {

    @Test
    void aHistogramWithAHeaderIsDrawnAsOneBarPerRow() {
        var plot = CsvPlot.of("dose.csv", """
                depth_cm,dose
                0.0,1.0
                0.5,2.5
                1.0,0.5
                """).orElseThrow();

        assertThat(plot.bars()).isTrue();
        assertThat(plot.xLabel()).isEqualTo("depth_cm");
        assertThat(plot.series()).singleElement().satisfies(series -> {
            assertThat(series.name()).isEqualTo("dose");
            assertThat(series.rects()).hasSize(3);
            assertThat(series.rects().get(1).height()).isGreaterThan(series.rects().get(0).height());
        });
        assertThat(plot.yTicks()).extracting(CsvPlot.Tick::label).contains("0", "1", "2");
    }

    @Test
    void severalNumericColumnsAreLinesAndTextColumnsAreLeftOut() {
        var plot = CsvPlot.of("t.csv", """
                # energy scan
                energy;mean;name;sigma
                1;0.1;a;0.01
                2;0.4;b;0.02
                4;0.9;c;0.05
                """).orElseThrow();

        assertThat(plot.bars()).isFalse();
        assertThat(plot.series()).extracting(CsvPlot.Series::name).containsExactly("mean", "sigma");
        assertThat(plot.series().getFirst().points().split(" ")).hasSize(3);
    }

    @Test
    void whatIsNotANumericTableIsNotPlotted() {
        assertThat(CsvPlot.of("a", "name,value\nalice,1\nbob,2\n")).isEmpty();
        assertThat(CsvPlot.of("a", "x,y\n1,2\n")).as("one row").isEmpty();
        assertThat(CsvPlot.of("a", "just text\nmore text\n")).isEmpty();
        assertThat(CsvPlot.of("a", "x,label\n1,a\n2,b\n")).as("no numeric series").isEmpty();
    }
}
