package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pilot as operators launch it, a separate JVM, against {@link FakePilotServer} (a fake at the
 * HTTP boundary: the real server is built later, in the {@code server} module).
 */
@Tag("e2e")
class PilotProcessTest {

    @TempDir
    Path temp;

    private FakePilotServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakePilotServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void sigtermKillsTheRunningTasksAndSaysBye() throws Exception {
        server.tasksToLease.add(new TaskAssignment("a1", "t1", "e1", "echo $$ > task.pid; sleep 60", List.of(),
                List.of(), List.of(), Map.of(), null, 0, null));
        Path stderr = temp.resolve("pilot.stderr");
        var pilot = pilotProcess(Map.of(PilotProtocol.TOKEN_ENV, "secret-token"), stderr,
                "--server", server.uri().toString(), "--slots", "1", "--work-dir", temp.resolve("work").toString(),
                // On the host: the pid the task writes is then one this test can look up.
                "--sandbox", "none");
        Path pidFile = temp.resolve("work/a1/task.pid");
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long taskPid = Long.parseLong(Files.readString(pidFile).strip());

        pilot.destroy();

        assertThat(pilot.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(taskPid).map(ProcessTreeSampler::isRunning).orElse(false)).isFalse();
        assertThat(server.byes).hasValue(1);
        assertThat(server.completions).isEmpty();
        assertThat(server.authorizationByPath).containsEntry(PilotProtocol.REGISTER, "Bearer secret-token");
        assertThat(server.refusedAuthorizations).isEmpty();
        assertThat(Files.readString(stderr)).contains("pilot stopped");
    }

    @Test
    void aPilotSaysInItsLogAndItsRegistrationWhetherItsTasksAreSandboxed() throws Exception {
        Path stderr = temp.resolve("pilot.stderr");
        var pilot = pilotProcess(Map.of(PilotProtocol.TOKEN_ENV, "secret-token"), stderr,
                "--server", server.uri().toString(), "--slots", "1", "--work-dir", temp.resolve("work").toString(),
                "--sandbox", "none");
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !server.registrations.isEmpty());

            assertThat(server.registrations.get(0).sandboxed()).isFalse();
            assertThat(Files.readString(stderr)).contains("tasks run WITHOUT a sandbox (--sandbox none)");
        } finally {
            pilot.destroy();
            pilot.waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPilotToldToSandboxWithoutBubblewrapRefusesToStart() throws Exception {
        Path stderr = temp.resolve("pilot.stderr");
        var pilot = pilotProcess(Map.of(PilotProtocol.TOKEN_ENV, "secret-token", "PATH", temp.toString()), stderr,
                "--server", server.uri().toString(), "--work-dir", temp.resolve("work").toString(), "--sandbox", "bwrap");

        assertThat(pilot.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(pilot.exitValue()).isEqualTo(2);
        assertThat(Files.readString(stderr)).contains("--sandbox bwrap, but bubblewrap does not work here")
                .contains("apt-get install bubblewrap");
    }

    @Test
    void withoutATokenThePilotExplainsAndExitsWith2() throws Exception {
        Path stderr = temp.resolve("pilot.stderr");
        var pilot = pilotProcess(Map.of(), stderr, "--server", server.uri().toString());

        assertThat(pilot.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(pilot.exitValue()).isEqualTo(2);
        assertThat(Files.readString(stderr)).contains(PilotProtocol.TOKEN_ENV);
    }

    private static Process pilotProcess(Map<String, String> env, Path stderr, String... args) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PilotMain.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove(PilotProtocol.TOKEN_ENV);
        builder.environment().putAll(env);
        return builder.start();
    }
}
