package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PilotOptionsTest {

    @Test
    void defaultsAreTakenFromTheHost() throws UsageException {
        var options = PilotOptions.parse(new String[] {"--server", "http://gateway:8080"}, "/opt/bin:/bin", () -> 2048L);

        assertThat(options.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(options.memoryMb()).isEqualTo(2048);
        assertThat(options.taskPath()).isEqualTo("/opt/bin:/bin");
        assertThat(options.workDir()).isNull();
        assertThat(options.idleTimeout()).isZero();
        assertThat(options.orphanTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(options.sandbox()).isEqualTo(PilotOptions.SandboxMode.AUTO);
    }

    @Test
    void theSandboxIsChosenAndTasksMayReadTheirPathAndTheDirectoriesNamed() throws UsageException {
        var options = PilotOptions.parse(new String[] {"--server", "http://x", "--sandbox", "bwrap",
                "--task-path", "/data/tools/bin:relative:/usr/bin", "--sandbox-read-only", "/opt/jdk:/data/tools"},
                null, () -> 1L);

        assertThat(options.sandbox()).isEqualTo(PilotOptions.SandboxMode.BWRAP);
        assertThat(options.readableByTasks()).map(Path::toString)
                .containsExactly("/data/tools/bin", "/usr/bin", "/opt/jdk", "/data/tools");
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {"--server", "http://x", "--sandbox", "docker"}, null,
                () -> 1L)).hasMessageContaining("--sandbox must be auto, bwrap or none");
    }

    @Test
    void everyOptionIsRead() throws UsageException {
        var options = PilotOptions.parse(new String[] {"--server=https://gw.example.org/escadrille", "--slots", "4",
                "--work-dir", "/scratch/p1", "--memory-mb", "8000", "--tags", "gpu, big-mem", "--task-path", "/usr/bin",
                "--idle-timeout", "60", "--orphan-timeout", "30", "--allow-no-container", "--keep-workdirs"},
                null, () -> { throw new AssertionError("the host's memory is not needed"); });

        assertThat(options.server().getHost()).isEqualTo("gw.example.org");
        assertThat(options.slots()).isEqualTo(4);
        assertThat(options.workDir()).hasToString("/scratch/p1");
        assertThat(options.memoryMb()).isEqualTo(8000);
        assertThat(options.tags()).containsExactly("gpu", "big-mem");
        assertThat(options.taskPath()).isEqualTo("/usr/bin");
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.orphanTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.allowNoContainer()).isTrue();
        assertThat(options.keepWorkdirs()).isTrue();
    }

    @Test
    void badUsageSaysWhatIsWrong() {
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {}, null, () -> 1L))
                .isInstanceOf(UsageException.class).hasMessageContaining("--server URL is required");
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {"--server", "ftp://x"}, null, () -> 1L))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {"--server", "http://x", "--slots", "0"}, null, () -> 1L))
                .hasMessageContaining("--slots must be between 1");
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {"--server", "http://x", "--slots"}, null, () -> 1L))
                .hasMessageContaining("--slots needs a value");
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {"--server", "http://x", "--token"}, null, () -> 1L))
                .hasMessageContaining("--token needs a value");
    }

    @Test
    void aTokenOnTheCommandLineIsReadButNeverPrinted() throws UsageException {
        var options = PilotOptions.parse(new String[] {"--server", "http://x", "--token", "s3cret-site-token"}, null, () -> 1L);

        assertThat(options.token()).isEqualTo("s3cret-site-token");
        assertThat(options.toString()).doesNotContain("s3cret-site-token");
        assertThat(PilotOptions.USAGE).contains("--token", "ESCADRILLE_PILOT_TOKEN", "visible to other users");
    }

    @Test
    void theBatchTimeLimitIsReadInSecondsAndIsNoneByDefault() throws UsageException {
        var limited = PilotOptions.parse(new String[] {"--server", "http://x", "--time-limit", "3600"}, null, () -> 1L);
        var unlimited = PilotOptions.parse(new String[] {"--server", "http://x"}, null, () -> 1L);

        assertThat(limited.timeLimit()).isEqualTo(Duration.ofHours(1));
        assertThat(unlimited.timeLimit()).isZero();
        assertThat(PilotOptions.USAGE).contains("--time-limit SECONDS");
        assertThatThrownBy(() -> PilotOptions.parse(new String[] {"--server", "http://x", "--time-limit", "-5"}, null,
                () -> 1L)).hasMessageContaining("--time-limit must be between 0 and");
    }
}
