package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.escadrille.bench.CpuMeter.CpuTicks;
import org.junit.jupiter.api.Test;

class MachineCpuTest {

    @Test
    void theWindowReadsEachCpusShareAndTheDatabasesCores() {
        var before = new MachineCpu(List.of(new CpuTicks(100, 1000), new CpuTicks(0, 1000)), 10.0);
        var after = new MachineCpu(List.of(new CpuTicks(1100, 2000), new CpuTicks(250, 2000)), 14.5);

        assertThat(after.since(before, 10.0)).isEqualTo("cpu0 1.00, cpu1 0.25 busy; database 0.45 cores");
    }
}
