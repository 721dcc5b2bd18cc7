package org.escadrille.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.escadrille.bench.CpuMeter.CpuTicks;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void eachCpuIsBusyForAllButItsIdleAndIowaitTicks() {
        String stat = """
                cpu  300 0 100 700 50 0 0 0 0 0
                cpu0 200 0 50 300 25 0 5 0 0 0
                cpu1 100 0 50 400 25 0 0 0 0 0
                intr 12345
                """;

        assertThat(CpuMeter.perCpu(stat)).containsExactly(new CpuTicks(255, 580), new CpuTicks(150, 575));
    }

    @Test
    void theCpuTimeOfProcessesByNameCountsThisJvmAndNothingForANameNoneHas() throws Exception {
        Path self = Path.of("/proc/self/comm");
        assumeTrue(Files.exists(self), "no /proc here: the benchmarks read it on Linux only");
        String name = Files.readString(self).strip();

        assertThat(CpuMeter.processesNamedSeconds(name)).isPositive();
        assertThat(CpuMeter.processesNamedSeconds("no-such-process-name")).isZero();
    }
}
