package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.junit.jupiter.api.Test;

class SeedDrawTest {

    private static Input seed(String bounds) {
        return Descriptor.parse("""
                {"name": "t", "tool-version": "1", "description": "d", "schema-version": "0.5",
                 "command-line": "t [SEED]",
                 "inputs": [{"id": "seed", "name": "Seed", "type": "Number", "integer": true, "value-key": "[SEED]",
                             "optional": true %s}]}""".formatted(bounds)).inputs().getFirst();
    }

    @Test
    void drawsADifferentSeedEachTimeBelowTwoToTheThirtyOne() {
        var seeds = new HashSet<Long>();
        for (int i = 0; i < 100; i++) {
            long drawn = SeedDraw.draw(seed(""));
            assertThat(drawn).isBetween(1L, (long) Integer.MAX_VALUE - 1_000_000);
            seeds.add(drawn);
        }
        assertThat(seeds).hasSizeGreaterThan(95);
    }

    @Test
    void staysWithinTheSeedInputsBounds() {
        for (int i = 0; i < 100; i++) {
            assertThat(SeedDraw.draw(seed(", \"minimum\": 10, \"maximum\": 20"))).isBetween(10L, 20L);
            assertThat(SeedDraw.draw(seed(", \"minimum\": 10, \"maximum\": 12, \"exclusive-minimum\": true,"
                    + " \"exclusive-maximum\": true"))).isEqualTo(11L);
        }
    }
}
