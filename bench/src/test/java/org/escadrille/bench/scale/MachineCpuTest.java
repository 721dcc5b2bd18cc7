package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void eachCpuIsBusyForAllButItsIdleAndIowaitTicks() {
        String stat = """
                cpu  300 0 100 700 50 0 0 0 0 0
                cpu0 200 0 50 300 25 0 5 0 0 0
                cpu1 100 0 50 400 25 0 0 0 0 0
                intr 12345
                """;

        var cpus = MachineCpu.cpuTicks(stat);

        assertThat(cpus).hasSize(2);
        assertThat(cpus.get(0)).containsExactly(255, 580);
        assertThat(cpus.get(1)).containsExactly(150, 575);
    }

    @Test
    void theWindowReadsEachCpusShareAndTheDatabasesCores() {
        var before = new MachineCpu(List.of(new long[] {100, 1000}, new long[] {0, 1000}), 10.0);
        var after = new MachineCpu(List.of(new long[] {1100, 2000}, new long[] {250, 2000}), 14.5);

        assertThat(after.since(before, 10.0)).isEqualTo("cpu0 1.00, cpu1 0.25 busy; database 0.45 cores");
    }
}
