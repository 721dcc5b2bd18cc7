package org.escadrille.apps.pi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiTest {
    @Test
    void aTaskStoppedBeforeItsFirstPointWritesNoEstimateRatherThanNaNWhichIsNotJson() {
        assertThat(new Pi.Estimate(0, 0).toJson()).isEqualTo("{\"inside\": 0, \"total\": 0, \"estimate\": null}%n".formatted());
        assertThat(new Pi.Estimate(3, 4).toJson()).isEqualTo("{\"inside\": 3, \"total\": 4, \"estimate\": 3.0000000000}%n".formatted());
    }


    @Test
    void estimateConvergesOnPi() {
        var estimate = new Pi().simulate(4_000_000, 7, new PrintStream(new ByteArrayOutputStream()));

        assertThat(estimate.total()).isEqualTo(4_000_000);
        assertThat(estimate.value()).isCloseTo(Math.PI, Offset.offset(0.005));
    }

    @Test
    void sameSeedGivesTheSameCounts() {
        var sink = new PrintStream(new ByteArrayOutputStream());

        assertThat(new Pi().simulate(100_000, 3, sink)).isEqualTo(new Pi().simulate(100_000, 3, sink));
        assertThat(new Pi().simulate(100_000, 3, sink)).isNotEqualTo(new Pi().simulate(100_000, 4, sink));
    }

    @Test
    void aStopRequestEndsTheRunWithAPartialCount() {
        var pi = new Pi();
        pi.requestStop();

        var estimate = pi.simulate(1_000_000_000L, 1, new PrintStream(new ByteArrayOutputStream()));

        assertThat(estimate.total()).isZero();
    }

    @Test
    void theStopFileEndsTheRunWithAPartialCount(@TempDir Path dir) throws Exception {
        var pi = new Pi();
        var arguments = Pi.Arguments.parse(new String[] {"--events", "1e12", "--stop-file", dir.resolve("STOP").toString()});
        assertThat(arguments.stopFile()).isEqualTo(dir.resolve("STOP"));
        Files.writeString(arguments.stopFile(), "");
        pi.stopOn(arguments.stopFile());

        var estimate = pi.simulate(arguments.events(), 1, new PrintStream(new ByteArrayOutputStream()));

        assertThat(estimate.total()).isZero();
    }

    @Test
    void aCheckpointHoldsExactlyWhatARunOfItsEventsWrites(@TempDir Path dir) throws Exception {
        var checkpoints = new ArrayList<Pi.Estimate>();
        var sink = new PrintStream(new ByteArrayOutputStream());
        // A zero period checkpoints after every chunk: several checkpoints in a short run.
        new Pi().simulate(5_000_000, 9, sink, checkpoints::add, 0);
        assertThat(checkpoints).hasSizeGreaterThan(2);

        for (Pi.Estimate checkpoint : checkpoints) {
            assertThat(checkpoint).isEqualTo(new Pi().simulate(checkpoint.total(), 9, sink));
        }
        Pi.writeCheckpoint(dir, Path.of("out/pi.json"), checkpoints.get(0));
        Pi.writeCheckpoint(dir, Path.of("out/pi.json"), checkpoints.get(1));
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(Long.toString(checkpoints.get(1).total()));
        }
        assertThat(Files.readString(dir.resolve(checkpoints.get(1).total() + "/out/pi.json")))
                .contains("\"total\": " + checkpoints.get(1).total());
    }

    @Test
    void eventCountsAcceptScientificNotation() {
        assertThat(Pi.Arguments.parse(new String[] {"--events", "1e8"}).events()).isEqualTo(100_000_000L);
        assertThatThrownBy(() -> Pi.Arguments.parse(new String[] {"--events", "ten"}))
                .hasMessageContaining("--events must be a whole number");
    }
}
