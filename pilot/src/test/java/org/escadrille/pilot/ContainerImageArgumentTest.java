package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a runtime is handed as the image: a checked reference after "--", never an option. */
class ContainerImageArgumentTest {
    private static final Path WORK = Path.of("/w");
    private static final OciRuntime PODMAN = new OciRuntime("podman", "/usr/bin/podman");
    private static final ApptainerRuntime APPTAINER = new ApptainerRuntime("/usr/bin/apptainer");

    @Test
    void theImageComesAfterTheEndOfOptionsAndBeforeTheCommand() {
        assertThat(PODMAN.command("alpine:3", WORK, Map.of("A", "1"), List.of("true"), "c", false))
                .endsWith("--env", "A=1", "--", "alpine:3", "true");
        assertThat(APPTAINER.command("alpine:3", WORK, Map.of(), List.of("true"), "c", false))
                .endsWith("--", "docker://alpine:3", "true");
        assertThat(PODMAN.command("docker://alpine:3", WORK, Map.of(), List.of("true"), "c", false))
                .as("Apptainer's name for a registry image").endsWith("--", "alpine:3", "true");
        assertThat(APPTAINER.command("/images/tool.sif", WORK, Map.of(), List.of("true"), "c", false))
                .endsWith("--", "/images/tool.sif", "true");
    }

    @Test
    void anImageStringThatHoldsOptionsIsRefusedBeforeTheRuntimeSeesIt() {
        for (ContainerRuntime runtime : List.of(PODMAN, APPTAINER)) {
            assertThatThrownBy(() -> runtime.command("--privileged -v /:/host alpine", WORK, Map.of(), List.of("true"), "c", false))
                    .as(runtime.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("got \"--privileged -v /:/host alpine\"");
            assertThatThrownBy(() -> runtime.imageArgument("-x")).as(runtime.name())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
