package org.escadrille.apps.dose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.escadrille.apps.checkpoint.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoseTest {

    @Test
    void aCheckpointHoldsExactlyWhatARunOfItsPhotonsWrites(@TempDir Path dir) throws Exception {
        var simulation = new DepthDose(1.25, 30, 20, 5);
        var checkpoints = new LinkedHashMap<Long, String>();
        // A zero period checkpoints between every chunk of photons.
        new Dose().run(simulation, 60_000, () -> checkpoints.put(simulation.photons(), Dose.csv(simulation)), 0);
        assertThat(checkpoints).hasSizeGreaterThan(2);

        for (var checkpoint : checkpoints.entrySet()) {
            var rerun = new DepthDose(1.25, 30, 20, 5);
            new Dose().run(rerun, checkpoint.getKey());
            assertThat(Dose.csv(rerun)).isEqualTo(checkpoint.getValue());
        }
        long last = checkpoints.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(Checkpoints.write(dir, 10, Map.of(Path.of("depth-dose.csv"), "old"))).isTrue();
        assertThat(Checkpoints.write(dir, last, Map.of(Path.of("depth-dose.csv"), checkpoints.get(last),
                Path.of("summary.json"), "{}"))).isTrue();
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(Long.toString(last));
        }
        assertThat(Files.readString(dir.resolve(last + "/depth-dose.csv"))).isEqualTo(checkpoints.get(last));
        assertThat(dir.resolve(last + "/summary.json")).exists();
    }
}
