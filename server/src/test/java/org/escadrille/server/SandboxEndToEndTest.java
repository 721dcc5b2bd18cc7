package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 19 end to end: a server that is not a one-user installation, its local pilot sandboxed by
 * bubblewrap, and published tools that try to read the data directory or reach the network. And the
 * policy: a pilot without a sandbox gets no task.
 */
@Tag("e2e")
class SandboxEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        assumeTrue(bubblewrapWorks(), "bubblewrap (bwrap) is not installed or does not work here "
                + "(apt-get install bubblewrap): the sandbox is not tested");
        server = TestServer.builder().pilots(true).property("escadrille.security.single-user", "false").start();
        alice = Researcher.of(server, "alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String descriptor(String name, String commandLine, String custom) {
        return """
                {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "%s [X]",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt", "optional": true}],
                 "custom": {%s}}""".formatted(name, commandLine, custom);
    }

    @Test
    void aPublishedToolCannotReadTheAdminsKeyFromTheDataDirectory() {
        String keyFile = server.dataDir().resolve("admin.key").toString();
        publish(descriptor("steal-key", "cat " + keyFile + " > out.txt; cat " + keyFile + "; true", ""));

        String id = alice.launch(Map.of("app", "steal-key"));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        String stdout = alice.api().get("/api/v1/executions/" + id + "/logs").body();
        String stderr = alice.api().get("/api/v1/executions/" + id + "/logs?stream=stderr").body();
        assertThat(stdout).doesNotContain(server.adminKey());
        assertThat(stderr).contains("admin.key").doesNotContain(server.adminKey());
        for (JsonNode output : execution.path("outputs")) {
            assertThat(alice.api().get("/api/v1/files/" + output.path("path").asString()).body())
                    .doesNotContain(server.adminKey());
        }
    }

    @Test
    void aToolReachesTheNetworkOnlyWhenItsDescriptorAsksForIt() throws Exception {
        try (var listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            var received = CompletableFuture.supplyAsync(() -> readOneConnection(listener));
            // Failing would retry it, and a pilot whose tasks all fail fast looks like a black hole.
            String connect = "bash -c 'echo from-task > /dev/tcp/127.0.0.1/" + listener.getLocalPort() + "'"
                    + " && echo connected > out.txt || echo refused > out.txt";
            publish(descriptor("offline", connect, ""));
            publish(descriptor("online", connect, "\"escadrille:network\": true"));

            String offline = alice.launch(Map.of("app", "offline"));
            JsonNode offlineEnd = alice.awaitEnd(offline, LIMIT);

            assertThat(offlineEnd.path("status").asString()).as(offlineEnd.toString()).isEqualTo("Finished");
            assertThat(outputOf(offlineEnd)).isEqualTo("refused");
            assertThat(received).isNotDone();

            JsonNode online = alice.awaitEnd(alice.launch(Map.of("app", "online")), LIMIT);

            assertThat(online.path("status").asString()).as(online.toString()).isEqualTo("Finished");
            assertThat(outputOf(online)).isEqualTo("connected");
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("from-task");
        }
    }

    @Test
    void aNetworkGrantThatIsNotABooleanIsRefusedAtPublication() {
        var response = server.admin().post("/api/v1/apps", descriptor("bad-grant", "true", "\"escadrille:network\": \"yes\""));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("custom.escadrille:network", "must be true or false");
    }

    @Test
    void aPilotWithoutASandboxGetsNoTaskOutsideAOneUserInstallation() {
        try (var unsandboxed = TestServer.builder().pilots(true).property("escadrille.security.single-user", "false")
                .property("escadrille.security.local-pilot-sandbox", "none").start()) {
            var bob = Researcher.of(unsandboxed, "bob");
            await().atMost(LIMIT).until(() -> unsandboxed.bean(PilotRegistry.class).recent(10).stream()
                    .anyMatch(pilot -> pilot.state().equals("RUNNING")));

            String id = bob.launch(Map.of("app", "pi", "split", "none", "inputs", Map.of("events", "1000", "seed", 1)));

            // Two long polls of the pilot (2 s each here) answered empty while the task waits.
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250))
                    .until(() -> bob.api().get("/api/v1/executions/" + id).json().path("tasks").path("queued").asInt() == 1);
            assertThat(bob.tasks(id).get(0).path("attempts")).isEmpty();
        }
    }

    private static String outputOf(JsonNode execution) {
        return alice.api().get("/api/v1/files/" + execution.path("outputs").get(0).path("path").asString()).body().strip();
    }

    private static void publish(String descriptor) {
        var response = server.admin().post("/api/v1/apps", descriptor);
        assertThat(response.status()).as(response.body()).isIn(200, 201);
    }

    private static String readOneConnection(ServerSocket listener) {
        try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private static boolean bubblewrapWorks() {
        try {
            Process process = new ProcessBuilder(List.of("bwrap", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                    "--unshare-pid", "--unshare-net", "true"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
