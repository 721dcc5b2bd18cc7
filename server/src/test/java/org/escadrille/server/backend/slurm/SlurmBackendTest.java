package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.BackendContract;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.backend.SiteConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link SlurmBackend} against the real SLURM daemons of this machine ({@code .ci/slurm-up}), its commands
 * run locally as on a login node: the backend contract, then what is particular to batch jobs.
 */
@Tag("e2e")
class SlurmBackendTest extends BackendContract {
    private static final String SITE = "ci-local";
    private Backend other;

    @Override
    protected Backend newBackend() {
        SlurmCluster.assumeRunning();
        return new SlurmKind().open(new SiteConfig(SITE, SlurmCluster.settings(dir.resolve("cluster"))));
    }

    @AfterEach
    void cancelTheOtherSitesPilots() {
        if (other != null) {
            other.active().forEach(other::cancel);
            other.close();
        }
    }

    @Test
    void anUnknownPartitionIsRefusedWithSlurmsOwnMessage() throws IOException {
        other = site(Map.of("partition", "nope"));

        assertThatThrownBy(other::check).isInstanceOf(IOException.class).hasMessageContaining("Partition nope not found");
        assertThatThrownBy(() -> other.submit(launch("pilot-nowhere")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sbatch refused pilot pilot-nowhere")
                .hasMessageContaining("invalid partition specified: nope");
        assertThat(other.active()).isEmpty();
        assertThat(dir.resolve("other/pilots/pilot-nowhere/token")).as("the token of a job that was refused").doesNotExist();
    }

    @Test
    void aSiteThatSlurmWouldTakePassesTheCheck() throws IOException {
        other = site(Map.of("partition", "debug", "time-limit", "10m"));

        other.check();
    }

    @Test
    void aSiteAskingForMoreThanTheClusterHasFailsTheCheck() {
        other = site(Map.of("cpus-per-pilot", "4096"));

        assertThatThrownBy(other::check).isInstanceOf(IOException.class)
                .hasMessageContaining("would refuse the site's pilot jobs")
                .hasMessageContaining("Requested node configuration is not available");
    }

    @Test
    void theTokenReachesThePilotByAFileThatIsGoneOnceTheJobRuns() throws IOException {
        other = site(Map.of("time-limit", "7m"));
        PilotLaunch launch = launch("pilot-token");

        other.submit(launch);

        Path pilotDir = dir.resolve("other/pilots/pilot-token");
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(pilotDir.resolve("token"))
                && SlurmCluster.squeue("other", "pilot-token", "%T").equals("RUNNING"));
        assertThat(Files.readString(pilotDir.resolve("pilot.sh"))).doesNotContain(launch.token());
        assertThat(SlurmCluster.run("ps", "-eo", "args").stdout()).doesNotContain(launch.token());
        assertThat(SlurmCluster.run("scontrol", "show", "job", "--details").stdout()).doesNotContain(launch.token());
        // The SLURM --time follows the site's time-limit.
        assertThat(SlurmCluster.squeue("other", "pilot-token", "%l")).isEqualTo("7:00");
        // The pilot runs: it says so in the job's output, which log() reads.
        await().atMost(Duration.ofSeconds(60)).until(() -> other.log("pilot-token", 4096).orElse("").contains("pilot"));
    }

    @Test
    void theCoresOfAPilotAreItsSlotsUnlessSet() throws IOException {
        other = site(Map.of());
        other.submit(new PilotLaunch("pilot-two-slots", "t", nowhere(), SlurmCluster.pilotJar(dir), 2, null, null));

        assertThat(SlurmCluster.squeue("other", "pilot-two-slots", "%C")).isEqualTo("2");
    }

    @Test
    void aRestartedServerFindsItsPilotsAgainAndCanCancelThem() throws IOException {
        other = site(Map.of());
        other.submit(launch("pilot-before-restart"));
        other.close();

        Backend restarted = site(Map.of());
        other = restarted;

        assertThat(restarted.active()).contains("pilot-before-restart");
        restarted.cancel("pilot-before-restart");
        await().atMost(Duration.ofSeconds(30)).until(() -> !restarted.active().contains("pilot-before-restart"));
    }

    private Backend site(Map<String, String> extra) {
        var settings = new HashMap<>(SlurmCluster.settings(dir.resolve("other")));
        settings.putAll(extra);
        return new SlurmKind().open(new SiteConfig("other", settings));
    }

    private PilotLaunch launch(String pilotId) throws IOException {
        Path jar = dir.resolve("bundled-pilot.jar");
        return new PilotLaunch(pilotId, "registration-token-" + pilotId + "-do-not-leak", nowhere(),
                Files.exists(jar) ? jar : SlurmCluster.pilotJar(dir), 1, null, null, List.of("--orphan-timeout", "120"));
    }

    private static String nowhere() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
