package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuModelTest {

    @Test
    void theModelIsTheFirstModelNameOfCpuinfo() {
        var cpuinfo = List.of(
                "processor\t: 0",
                "vendor_id\t: GenuineIntel",
                "cpu family\t: 6",
                "model\t\t: 85",
                "model name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz",
                "",
                "processor\t: 1",
                "model name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");

        assertThat(CpuModel.parse(cpuinfo)).isEqualTo("Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");
    }

    @Test
    void aCpuinfoWithoutModelNameGivesItsHardwareOrNothing() {
        assertThat(CpuModel.parse(List.of("processor\t: 0", "BogoMIPS\t: 50.00", "Hardware\t: BCM2835"))).isEqualTo("BCM2835");
        assertThat(CpuModel.parse(List.of("processor\t: 0", "BogoMIPS\t: 50.00"))).isNull();
    }
}
