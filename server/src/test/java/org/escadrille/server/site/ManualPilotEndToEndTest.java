package org.escadrille.server.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pilot on "any host", started as its user would: the jar downloaded from {@code /pilot.jar}, a
 * manual site's token on its command line. It runs the tasks (the server starts no pilot of its own),
 * drains when its site is disabled, and a pilot with a revoked token says why and stops.
 */
@Tag("e2e")
class ManualPilotEndToEndTest {
    private static TestServer server;
    private static ApiClient admin;
    private static ApiClient alice;
    private final List<Process> started = new ArrayList<>();
    @TempDir
    Path host;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        admin = server.admin();
        alice = server.newUser("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void killPilots() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aPilotStartedByHandWithTheSitesTokenRunsTasksAndDrainsWhenTheSiteIsDisabled() throws Exception {
        var site = admin.post("/api/v1/sites", "{\"name\": \"workstation\", \"kind\": \"manual\", \"slotsPerPilot\": 2}");
        assertThat(site.status()).as(site.body()).isEqualTo(201);
        Path jar = download();
        Process pilot = startPilot(jar, site.json().path("token").asString(), host.resolve("pilot.log"));

        String first = launchPi(7);
        String second = launchPi(8);

        for (String id : List.of(first, second)) {
            var execution = alice.awaitEnd(id, Duration.ofSeconds(90));
            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        }
        var health = admin.get("/api/v1/sites/workstation").json().path("health");
        assertThat(health.path("pilotsRunning").asInt()).isEqualTo(1);
        assertThat(health.path("slots").asInt()).isEqualTo(2);

        admin.send("PATCH", "/api/v1/sites/workstation", "application/json", "{\"enabled\": false}".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> !pilot.isAlive());
        assertThat(Files.readString(host.resolve("pilot.log"))).contains("draining");
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/sites/workstation").json()
                .path("health").path("pilotsRunning").asInt() == 0);
    }

    @Test
    void aPilotWithARevokedTokenSaysWhyAndStops() throws Exception {
        var site = admin.post("/api/v1/sites", "{\"name\": \"revoked\", \"kind\": \"manual\"}");
        String token = site.json().path("token").asString();
        assertThat(admin.delete("/api/v1/sites/revoked/token").status()).isEqualTo(204);

        Process pilot = startPilot(download(), token, host.resolve("refused.log"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !pilot.isAlive());
        assertThat(pilot.exitValue()).isNotZero();
        assertThat(Files.readString(host.resolve("refused.log"))).contains("rotated or revoked");
    }

    private String launchPi(long seed) {
        return alice.launch(Map.of("app", "pi", "split", "none", "inputs", Map.of("events", "1000000", "seed", seed)));
    }

    private Path download() throws IOException, InterruptedException {
        Path jar = host.resolve("escadrille-pilot.jar");
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/pilot.jar")).build(),
                HttpResponse.BodyHandlers.ofFile(jar));
        assertThat(response.statusCode()).isEqualTo(200);
        return jar;
    }

    private Process startPilot(Path jar, String token, Path log) throws IOException {
        // The tools a task runs are this server's: a host of a real site has its own installed.
        String taskPath = server.dataDir().resolve("tools").resolve("bin") + File.pathSeparator
                + Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", jar.toString(), "--server", server.url(), "--token", token, "--slots", "2",
                "--work-dir", host.resolve("work").toString(), "--sandbox", "none", "--task-path", taskPath)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("ESCADRILLE_PILOT_TOKEN");
        Process process = builder.start();
        started.add(process);
        return process;
    }
}
