package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A descriptor with a {@code container-image}: its command runs inside the image when the pilot's host
 * has a runtime, and fails with a message that says so when it has none. The pilots are started here,
 * each with the PATH under test (a runtime is looked for on the pilot's own PATH). The image is built
 * locally from a static busybox ({@code podman import}): no registry is needed.
 */
@Tag("e2e")
class ContainerImageEndToEndTest {
    private static final String IMAGE = "localhost/escadrille-test-busybox:1";
    private static final String MARKER = "inside the escadrille test image";
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String DESCRIPTOR = """
            {"name": "checksum-in-a-container", "tool-version": "1.0", "schema-version": "0.5",
             "description": "busybox's sha256sum, in a container; also copies a file only the image has.",
             "command-line": "sha256sum [INPUT] > [CHECKSUM] && cat /etc/escadrille-image > [WHERE]",
             "container-image": {"type": "docker", "image": "%s"},
             "inputs": [{"id": "input", "name": "File", "type": "File", "value-key": "[INPUT]"}],
             "output-files": [
               {"id": "checksum", "name": "Checksum", "path-template": "[INPUT].sha256", "value-key": "[CHECKSUM]"},
               {"id": "where", "name": "Where it ran", "path-template": "where.txt", "value-key": "[WHERE]"}]}
            """.formatted(IMAGE);

    private static TestServer server;
    private static Researcher alice;
    private static Path pilotJar;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws IOException {
        // One attempt per task: a task that cannot run fails for good at once, without retries.
        server = TestServer.builder().pilots(false).property("escadrille.scheduling.max-attempts", "1").start();
        alice = Researcher.of(server, "alice");
        var published = server.admin().post("/api/v1/apps", DESCRIPTOR);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        pilotJar = server.dataDir().resolve("escadrille-pilot.jar");
        try (InputStream in = TestServer.class.getResourceAsStream("/bundled/escadrille-pilot.jar")) {
            assertThat(in).as("the pilot jar is bundled in the server's build").isNotNull();
            Files.copy(in, pilotJar);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theCommandRunsInsideTheImageWithPodman() throws Exception {
        Optional<Path> podman = onPath("podman");
        assumeTrue(podman.isPresent(), "podman is not installed (Debian: see the containers section of .ci/run)");
        String unusable = TestImage.build(podman.get(), IMAGE, temp.resolve("image"));
        assumeTrue(unusable == null, () -> "podman cannot run a container here: " + unusable);
        // given a pilot whose PATH has podman and no other runtime, and an uploaded file
        Path podmanOnly = Files.createDirectories(temp.resolve("podman-only"));
        Files.createSymbolicLink(podmanOnly.resolve("podman"), podman.get());
        alice.upload("inbox/notes.txt", "in a container\n".getBytes(StandardCharsets.UTF_8));

        try (var image = TestImage.removedAfterwards(podman.get());
             var pilot = startPilot(podmanOnly + ":/usr/sbin:/sbin")) {
            // when the descriptor runs on it
            String id = alice.launch(Map.of("app", "checksum-in-a-container", "inputs", Map.of("input", "inbox/notes.txt")));
            JsonNode execution = alice.awaitEnd(id, LIMIT);

            // then the command ran in the image (it read a file only the image has) on the staged input
            assertThat(execution.path("status").asString()).as("%s\n%s", execution, pilot.log()).isEqualTo("Finished");
            assertThat(new String(alice.download(execution.path("outputDir").asString() + "/where.txt"), StandardCharsets.UTF_8))
                    .isEqualTo(MARKER + "\n");
            assertThat(new String(alice.download(execution.path("outputDir").asString() + "/notes.txt.sha256"), StandardCharsets.UTF_8))
                    .isEqualTo(Sha256.of("in a container\n") + "  notes.txt\n");
        }
    }

    @Test
    void withoutARuntimeTheTaskFailsSayingThatTheImageNeedsOne() throws Exception {
        // given a pilot whose PATH has no container runtime at all
        Path empty = Files.createDirectories(temp.resolve("no-runtime"));
        alice.upload("inbox/plain.txt", "on the host\n".getBytes(StandardCharsets.UTF_8));

        try (var pilot = startPilot(empty.toString())) {
            // when the descriptor runs on it
            String id = alice.launch(Map.of("app", "checksum-in-a-container", "inputs", Map.of("input", "inbox/plain.txt")));
            JsonNode execution = alice.awaitEnd(id, LIMIT);

            // then it fails without running on the host, and the attempt and the execution say why
            String expected = "the task needs container image " + IMAGE
                    + " but no container runtime (docker, podman, apptainer) is installed on ";
            assertThat(execution.path("status").asString()).as(pilot.log()).isEqualTo("ExecutionFailed");
            assertThat(execution.path("error").asString()).contains(expected);
            assertThat(alice.tasks(id).get(0).path("attempts")).isNotEmpty().allSatisfy(attempt ->
                    assertThat(attempt.path("message").asString()).startsWith(expected));
            assertThat(execution.path("outputs")).isEmpty();
        }
    }

    /** A pilot process with its own token, the given PATH, one slot; stopped (SIGTERM, it says goodbye) on close. */
    private PilotProcess startPilot(String path) throws IOException {
        var credentials = server.bean(PilotRegistry.class).mint("test");
        Path workDir = Files.createDirectories(temp.resolve("pilot-" + credentials.pilotId()));
        Path log = workDir.resolve("pilot.log");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", pilotJar.toString(), "--server", server.url(), "--slots", "1", "--work-dir", workDir.toString(),
                "--orphan-timeout", "30", "--task-path", "/usr/bin:/bin")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PATH", path);
        builder.environment().put(PilotProtocol.TOKEN_ENV, credentials.token());
        return new PilotProcess(builder.start(), log);
    }

    private record PilotProcess(Process process, Path logFile) implements AutoCloseable {
        String log() {
            try {
                return "pilot log:\n" + Files.readString(logFile);
            } catch (IOException e) {
                return "pilot log unreadable: " + e.getMessage();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }


    /** The test image: a root file system of one static busybox and a marker file, imported into podman. */
    private static final class TestImage {
        private static final List<String> APPLETS = List.of("sh", "cat", "sha256sum", "echo", "kill", "sleep", "true");

        /** Builds the image and runs it once; null when it ran, else what went wrong. */
        static String build(Path podman, String image, Path dir) throws IOException, InterruptedException {
            Optional<Path> busybox = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox")).stream()
                    .filter(Files::isExecutable).findFirst();
            if (busybox.isEmpty()) {
                return "no busybox to build the test image from (Debian: apt-get install busybox-static)";
            }
            Path root = Files.createDirectories(dir.resolve("root"));
            Files.createDirectories(root.resolve("bin"));
            Files.createDirectories(root.resolve("etc"));
            Files.createDirectories(root.resolve("tmp"));
            Files.copy(busybox.get(), root.resolve("bin/busybox"));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
            }
            Files.writeString(root.resolve("etc/escadrille-image"), MARKER + "\n");
            Path tar = dir.resolve("root.tar");
            String failure = run(dir, "tar", "-C", root.toString(), "-cf", tar.toString(), ".");
            if (failure == null) {
                failure = run(dir, podman.toString(), "import", tar.toString(), image);
            }
            if (failure == null) {
                failure = run(dir, podman.toString(), "run", "--rm", "--init", image, "/bin/sh", "-c", "true");
            }
            return failure;
        }

        /** Removes the image when closed, so that runs do not pile up images. */
        static AutoCloseable removedAfterwards(Path podman) {
            return () -> new ProcessBuilder(podman.toString(), "rmi", "--force", IMAGE)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(60, TimeUnit.SECONDS);
        }

        private static String run(Path dir, String... command) throws IOException, InterruptedException {
            Path output = dir.resolve("command.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish within 2 minutes";
            }
            if (process.exitValue() == 0) {
                return null;
            }
            return String.join(" ", command) + " exited with " + process.exitValue() + ": "
                    + new String(Files.readAllBytes(output), StandardCharsets.UTF_8).strip();
        }
    }
}
