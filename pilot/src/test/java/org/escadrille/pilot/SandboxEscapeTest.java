package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile tool tries from inside its sandbox, each refused: the files of a data directory
 * that holds the pilot's working directories, the pilot's process and its environment, the network
 * (unless granted), and writing anywhere but its working directory. Real processes, real bubblewrap.
 */
class SandboxEscapeTest {
    private static final String ADMIN_KEY = "admin-key-7f3a9c";

    @TempDir
    Path temp;

    private Path dataDir;
    private WorkDirectory workDir;
    private TaskRunner runner;

    @BeforeEach
    void aPilotInsideADataDirectory() throws IOException {
        dataDir = Files.createDirectories(temp.resolve("data"));
        Files.writeString(dataDir.resolve("admin.key"), ADMIN_KEY);
        Path workRoot = Files.createDirectories(dataDir.resolve("pilots/p1"));
        // Another attempt of the same pilot, with its user's input.
        Files.createDirectories(workRoot.resolve("a0"));
        Files.writeString(workRoot.resolve("a0/other-users-input.txt"), "private");
        Path tools = Files.createDirectories(dataDir.resolve("tools/bin"));
        // The tools directory is readable, as the server asks; the data directory and the pilots' never are.
        var sandbox = SandboxedTasks.bubblewrap(workRoot, List.of(tools, dataDir, workRoot, Path.of("/")));
        runner = new TaskRunner(Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(50), () -> true,
                NativeSpawner.load(), Optional.of(sandbox));
        workDir = new WorkDirectory(workRoot.resolve("a1"));
        workDir.create();
    }

    @Test
    void theDataDirectoryAroundTheWorkingDirectoryCannotBeRead() throws IOException {
        assertThat(run("cat " + dataDir.resolve("admin.key")).exitCode()).isNotZero();
        assertThat(stdout()).doesNotContain(ADMIN_KEY);
        assertThat(run("cat ../a0/other-users-input.txt").exitCode()).isNotZero();
        assertThat(stdout()).doesNotContain("private");
        // What a tool sees of the data directory is only the way to its own working directory.
        run("ls -a " + dataDir + " " + dataDir.resolve("pilots/p1"));
        assertThat(stdout()).doesNotContain("admin.key").doesNotContain("a0");
    }

    @Test
    void theToolsDirectoryIsReadableAndReadOnly() throws IOException {
        Path tools = dataDir.resolve("tools/bin");
        Files.writeString(tools.resolve("hello"), "hi");

        var result = run("cat " + tools.resolve("hello") + " && ! touch " + tools.resolve("planted"));

        assertThat(result.exitCode()).isZero();
        assertThat(stdout()).isEqualTo("hi");
        assertThat(tools.resolve("planted")).doesNotExist();
    }

    @Test
    void thePilotsProcessAndItsEnvironmentCannotBeSeen() throws IOException {
        long pilotPid = ProcessHandle.current().pid();

        var result = run("cat /proc/" + pilotPid + "/environ; ls /proc | grep -c '^[0-9]'");

        assertThat(result.exitCode()).isZero();
        String[] lines = stdout().strip().split("\n");
        // Only the sandbox's own processes: its init, the wrapper, the shell, ls and grep at most.
        assertThat(Integer.parseInt(lines[lines.length - 1])).isLessThanOrEqualTo(5);
        assertThat(stdout()).doesNotContain("PATH=").doesNotContain("JAVA");
        assertThat(Files.readString(workDir.stderr())).contains("/proc/" + pilotPid + "/environ");
    }

    @Test
    void secretsOfEtcAreMaskedEvenForARootPilot() throws IOException {
        var result = run("cat /etc/shadow; echo; cat /etc/passwd | head -1");

        assertThat(result.exitCode()).isZero();
        assertThat(stdout()).doesNotContain("root:*").doesNotContain("root:$").contains("root:x:0:0");
    }

    @Test
    void writesOutsideTheWorkingDirectoryDoNotReachTheHost() throws IOException {
        String name = "escape-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

        var result = run("echo x > /tmp/" + name + "; echo x > " + temp.resolve(name) + "; echo x > " + dataDir.resolve(name)
                + "; echo x > /" + name + "; echo x > inside.txt");

        assertThat(result.exitCode()).isZero();
        assertThat(Path.of("/tmp", name)).doesNotExist();
        assertThat(temp.resolve(name)).doesNotExist();
        assertThat(dataDir.resolve(name)).doesNotExist();
        assertThat(Path.of("/", name)).doesNotExist();
        assertThat(workDir.root().resolve("inside.txt")).hasContent("x");
    }

    @Test
    void theNetworkIsUnreachableUnlessGranted() throws Exception {
        try (var server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            var accepted = CompletableFuture.supplyAsync(() -> readOneLine(server));
            String connect = "bash -c 'echo from-task > /dev/tcp/127.0.0.1/" + server.getLocalPort() + "'";

            var refused = run(connect);

            assertThat(refused.exitCode()).isNotZero();
            assertThat(accepted).isNotDone();

            var granted = runner.run(spec(connect).withNetwork(true), new RunControl(), ProgressTracker.none());

            assertThat(granted.exitCode()).isZero();
            assertThat(accepted.get(10, TimeUnit.SECONDS)).isEqualTo("from-task");
        }
    }

    private CommandResult run(String commandLine) throws IOException {
        return runner.run(spec(commandLine), new RunControl(), ProgressTracker.none());
    }

    private CommandSpec spec(String commandLine) {
        var assignment = new TaskAssignment("a1", "t1", "e1", commandLine, null, null, null, Map.of(), null, 0, null);
        return CommandSpec.onHost("a1", workDir, commandLine,
                new TaskEnvironment("/usr/local/bin:/usr/bin:/bin").onHost(assignment, workDir));
    }

    private String stdout() throws IOException {
        return Files.readString(workDir.stdout(), StandardCharsets.UTF_8);
    }

    private static String readOneLine(ServerSocket server) {
        try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
