package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShellTimesTest {

    @Test
    void readsTheChildrenLineOfDash() {
        var seconds = ShellTimes.childrenCpuSeconds("0m0.004000s 0m0.001000s\n1m2.500000s 0m0.250000s\n");

        assertThat(seconds).hasValueCloseTo(62.75, within(1e-9));
    }

    @Test
    void readsTheFormatsOfOtherShells() {
        assertThat(ShellTimes.childrenCpuSeconds("0m0.004s 0m0.001s\n0m1.234s 0m0.050s")).hasValueCloseTo(1.284, within(1e-9));
        assertThat(ShellTimes.childrenCpuSeconds("0.00 0.00\n3,5 1")).hasValueCloseTo(4.5, within(1e-9));
    }

    @Test
    void refusesWhatIsNotTimesOutput() {
        assertThat(ShellTimes.childrenCpuSeconds("")).isEmpty();
        assertThat(ShellTimes.childrenCpuSeconds("0m0.1s 0m0.2s")).isEmpty();
        assertThat(ShellTimes.childrenCpuSeconds("a b\nc d")).isEmpty();
    }
}
