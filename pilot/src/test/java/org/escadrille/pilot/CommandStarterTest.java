package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a command is started: directly when it is a plain program call, else through the shell wrapper. */
class CommandStarterTest {
    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path root;

    private final CommandStarter starter = new CommandStarter(Optional.empty(), Optional.empty());

    @Test
    void aPlainProgramCallStartsWithoutAShell() throws Exception {
        var spec = CommandSpec.onHost("t1", workDir(), "echo direct", ENVIRONMENT);

        var process = starter.startDirectly(spec).orElseThrow();

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(spec.workDir().stdout()).hasContent("direct");
    }

    @Test
    void aLineThatNeedsTheShellIsLeftToTheWrapperWhichReportsTheCpuTime() throws Exception {
        var spec = CommandSpec.onHost("t1", workDir(), "echo wrapped > out.txt; exit 3", ENVIRONMENT);

        assertThat(starter.startDirectly(spec)).isEmpty();
        var process = starter.startWrapped(spec);

        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(3);
        assertThat(spec.workDir().resolve("out.txt")).hasContent("wrapped");
        assertThat(spec.workDir().times()).exists();
    }

    @Test
    void withoutASandboxNothingIsSandboxed() throws IOException {
        assertThat(starter.sandboxes(CommandSpec.onHost("t1", workDir(), "true", ENVIRONMENT))).isFalse();
    }

    @Test
    void containerNamesKeepOnlyWhatRuntimesAccept() {
        assertThat(CommandStarter.containerName("a1/task 3:x")).isEqualTo("escadrille-a1_task_3_x");
    }

    private WorkDirectory workDir() throws IOException {
        var dir = new WorkDirectory(root.resolve("a1"));
        Files.createDirectories(dir.tmp());
        return dir;
    }
}
