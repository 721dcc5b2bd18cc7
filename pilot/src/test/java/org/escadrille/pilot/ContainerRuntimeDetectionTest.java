package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which container runtime a pilot picks from its PATH: stand-in executables play docker, podman and apptainer. */
class ContainerRuntimeDetectionTest {

    @TempDir
    Path bin;

    @Test
    void dockerIsPreferredWhenItsDaemonAnswers() throws IOException {
        executable("docker", "exit 0");
        executable("podman", "exit 0");

        assertThat(ContainerRuntime.detect(bin.toString())).map(ContainerRuntime::name).hasValue("docker");
    }

    @Test
    void aDockerClientWithoutItsDaemonIsPassedOverForPodman() throws IOException {
        executable("docker", "echo 'Cannot connect to the Docker daemon' >&2; exit 1");
        executable("podman", "exit 0");

        var runtime = ContainerRuntime.detect(bin.toString());

        assertThat(runtime).map(ContainerRuntime::name).hasValue("podman");
        assertThat(runtime.get().command("img", Path.of("/w"), Map.of(), List.of("true"), "c", false))
                .startsWith(bin.resolve("podman").toString(), "run");
    }

    @Test
    void apptainerIsUsedWhenItIsTheOnlyRuntime() throws IOException {
        executable("apptainer", "exit 0");

        assertThat(ContainerRuntime.detect(bin.toString())).map(ContainerRuntime::name).hasValue("apptainer");
    }

    @Test
    void theEnvironmentComesInKeyOrderThenTheImageAfterADoubleDashThenTheCommand() {
        var env = Map.of("ZETA", "last", "ALPHA", "first a=b");
        for (ContainerRuntime runtime : List.of(new OciRuntime("podman", "/usr/bin/podman"),
                new ApptainerRuntime("/usr/bin/apptainer"))) {
            List<String> args = runtime.command("img", Path.of("/w"), env, List.of("sh", "-c", "echo"), "c", false);

            assertThat(args).as(runtime.name()).endsWith("--env", "ALPHA=first a=b", "--env", "ZETA=last",
                    "--", runtime.imageArgument("img"), "sh", "-c", "echo");
        }
    }

    @Test
    void aContainerHasNoNetworkUnlessItsTaskIsGrantedIt() {
        var podman = new OciRuntime("podman", "/usr/bin/podman");
        var apptainer = new ApptainerRuntime("/usr/bin/apptainer");
        var noEnv = Map.<String, String>of();

        assertThat(podman.command("img", Path.of("/w"), noEnv, List.of("true"), "c", false))
                .contains("--network=none");
        assertThat(podman.command("img", Path.of("/w"), noEnv, List.of("true"), "c", true))
                .doesNotContain("--network=none");
        assertThat(apptainer.command("img", Path.of("/w"), noEnv, List.of("true"), "c", false))
                .containsSequence("--network", "none").contains("--containall");
        assertThat(apptainer.command("img", Path.of("/w"), noEnv, List.of("true"), "c", true))
                .doesNotContain("--network").contains("--containall");
    }

    @Test
    void noRuntimeOnThePathIsNone() throws IOException {
        executable("docker", "exit 1");

        assertThat(ContainerRuntime.detect(bin.toString())).isEmpty();
        assertThat(ContainerRuntime.detect(null)).isEmpty();
    }

    private void executable(String name, String script) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
