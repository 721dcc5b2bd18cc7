package org.escadrille.pilot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every test of the runner again with the commands in a bubblewrap sandbox: exit codes, signals,
 * stops, kills, CPU time and memory must mean the same there.
 */
class TaskRunnerInSandboxTest extends TaskRunnerTest {
    @Override
    Optional<Bubblewrap> sandbox(Path workRoot) {
        try {
            return Optional.of(SandboxedTasks.bubblewrap(workRoot, List.of()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    boolean processAlive(Path pidFile) throws IOException {
        // The task wrote its pid in its own PID namespace; what these tests leave behind is a shell or a sleep.
        return SandboxedTasks.runningInSomeSandbox(
                Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip()), "sleep", "sh");
    }
}
