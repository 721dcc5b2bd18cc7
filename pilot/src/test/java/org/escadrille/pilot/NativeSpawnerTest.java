package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native spawner against real processes: what a started process gets, how it is waited for and reaped. */
class NativeSpawnerTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "GREETING", "hello world");

    @TempDir
    Path dir;

    private NativeSpawner spawner;

    @BeforeEach
    void load() {
        assumeTrue(Runtime.version().feature() >= 22 && System.getProperty("os.name").startsWith("Linux"),
                "the native spawner needs Java 22+ on Linux; this is Java " + Runtime.version() + " on "
                        + System.getProperty("os.name"));
        spawner = NativeSpawner.load().orElseThrow(
                () -> new AssertionError("Java 22+ on Linux, yet no native spawner (see the pilot's log)"));
    }

    @Test
    void theExitStatusAndBothOutputsAreThoseOfTheCommand() throws Exception {
        Process process = sh("echo to-stdout; echo to-stderr >&2; exit 3");

        assertThat(process.waitFor()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("out"))).isEqualTo("to-stdout\n");
        assertThat(Files.readString(dir.resolve("err"))).isEqualTo("to-stderr\n");
    }

    @Test
    void itRunsInItsDirectoryWithExactlyItsEnvironmentAndNothingOnStdin() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work dir"));
        Process process = spawner.spawn(List.of("/usr/bin/env"), ENV, work, dir.resolve("out"), dir.resolve("err"));
        assertThat(process.waitFor()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out"))).containsExactlyInAnyOrder("PATH=/usr/bin:/bin",
                "GREETING=hello world");

        assertThat(sh("pwd; cat; echo end").waitFor()).isZero();
        // The shell's directory is the one given; cat reads /dev/null and ends at once.
        assertThat(Files.readAllLines(dir.resolve("out"))).containsExactly(dir.toString(), "end");
    }

    @Test
    void itGetsNoneOfThePilotsDescriptorsNoBlockedAndNoIgnoredSignal() throws Exception {
        // ls opens the directory it lists: one descriptor beyond the three, and only one.
        Process process = sh("ls /proc/self/fd | wc -l; grep -E '^Sig(Blk|Ign):' /proc/self/status");

        assertThat(process.waitFor()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("out"));
        assertThat(lines.get(0).trim()).isEqualTo("4");
        assertThat(lines.get(1)).isEqualTo("SigBlk:\t0000000000000000");
        // No standard signal ignored (1 to 31). glibc's spawn leaves its two internal real-time signals
        // (32, 33) ignored across the exec, as it does for the JDK's own route.
        assertThat(lines.get(2)).startsWith("SigIgn:\t");
        assertThat(Long.parseLong(lines.get(2).substring("SigIgn:\t".length()), 16) & 0x7fff_ffffL).isZero();
    }

    @Test
    void aSignalledProcessReportsOneHundredTwentyEightPlusTheSignalAsTheJdkDoes() throws Exception {
        assertThat(sh("kill -KILL $$").waitFor()).isEqualTo(137);
    }

    @Test
    void aTimedWaitReturnsAtItsTimeoutAndDestroyEndsTheProcess() throws Exception {
        Process process = spawner.spawn(List.of("/bin/sleep", "30"), ENV, dir, dir.resolve("out"), dir.resolve("err"));

        assertThat(process.waitFor(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(process.isAlive()).isTrue();
        assertThatThrownBy(process::exitValue).isInstanceOf(IllegalThreadStateException.class);
        assertThat(process.toHandle().pid()).isEqualTo(process.pid());

        process.destroy();

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(process.isAlive()).isFalse();
        // Reaped: no zombie is left behind.
        assertThat(Files.exists(Path.of("/proc", Long.toString(process.pid())))).isFalse();
    }

    @Test
    void anInterruptedWaitThrowsAndLeavesTheProcessToBeWaitedForAgain() throws Exception {
        Process process = spawner.spawn(List.of("/bin/sleep", "30"), ENV, dir, dir.resolve("out"), dir.resolve("err"));
        try {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> process.waitFor(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.waitFor()).isEqualTo(137);
    }

    @Test
    void theKernelsCountOfCpuCoversTheChildrenItWaitedFor() throws Exception {
        Process process = sh("sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'");

        assertThat(process.waitFor()).isZero();
        assertThat(((NativeSpawner.Usage) process).cpuSeconds()).isGreaterThan(0.05);
    }

    @Test
    void aProgramThatCannotRunIsAnIOExceptionNamingIt() {
        assertThatThrownBy(() -> spawner.spawn(List.of(dir.resolve("missing").toString()), ENV, dir,
                dir.resolve("out"), dir.resolve("err")))
                .isInstanceOf(IOException.class).hasMessageContaining("missing").hasMessageContaining("No such file");
    }

    private Process sh(String script) throws IOException {
        return spawner.spawn(List.of("/bin/sh", "-c", script), ENV, dir, dir.resolve("out"), dir.resolve("err"));
    }
}
