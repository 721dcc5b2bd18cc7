package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An admin drains or stops a real pilot (started by hand on a manual site, so that nothing starts
 * another in its place) from the pilots table of the admin page: a drained pilot finishes its running
 * task, leases no more and exits; a stopped one has its task requeued at once (the attempt lost) and
 * abandons it and exits.
 */
@Tag("e2e")
class PilotDrainAndStopTest {
    private static final String SLEEPER = """
            {"name": "sleeper", "tool-version": "1", "schema-version": "0.5", "description": "Sleeps.",
             "command-line": "sleep [SECONDS]; echo done > out.txt",
             "inputs": [{"id": "seconds", "name": "Seconds", "type": "Number", "value-key": "[SECONDS]"}],
             "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""";
    private static TestServer server;
    private static ApiClient admin;
    private static ApiClient alice;
    private static Browser browser;
    private final List<Process> started = new ArrayList<>();
    @TempDir
    Path host;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(false).start();
        admin = server.admin();
        alice = server.newUser("alice");
        assertThat(admin.post("/api/v1/apps", SLEEPER).status()).isEqualTo(201);
        browser = Browser.open(server.url());
        browser.signIn("admin", adminPassword());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void killPilots() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aDrainedPilotFinishesItsRunningTaskTakesNoOtherAndExits() throws Exception {
        Process pilot = startPilot("drained");
        String running = alice.launch(Map.of("app", "sleeper", "inputs", Map.of("seconds", 4)));
        String pilotId = awaitRunningOn(running);

        clickInPilotRow(pilotId, "Drain");
        String later = alice.launch(Map.of("app", "sleeper", "inputs", Map.of("seconds", 0)));

        assertThat(browser.awaitText(".notice", "drains")).contains(pilotId);
        assertThat(browser.find("#pilot-" + pilotId).getText()).contains("draining");
        var first = alice.awaitEnd(running, Duration.ofSeconds(60));
        assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("Finished");
        await().atMost(Duration.ofSeconds(30)).until(() -> !pilot.isAlive());
        assertThat(Files.readString(host.resolve("drained.log"))).contains("draining");
        assertThat(task(later).path("attempts")).as("the drained pilot leased nothing more").isEmpty();
        assertThat(auditActions()).contains("pilot-drained " + pilotId);
    }

    @Test
    void aStoppedPilotsTaskIsRequeuedAtOnceAndThePilotAbandonsItAndExits() throws Exception {
        Process pilot = startPilot("stopped");
        String execution = alice.launch(Map.of("app", "sleeper", "inputs", Map.of("seconds", 120)));
        String pilotId = awaitRunningOn(execution);

        clickInPilotRow(pilotId, "Stop");

        assertThat(browser.awaitText(".notice", "stopped")).contains(pilotId);
        await().atMost(Duration.ofSeconds(10)).until(() -> task(execution).path("status").asString().equals("QUEUED"));
        assertThat(task(execution).path("attempts").get(0).path("status").asString()).isEqualTo("LOST");
        await().atMost(Duration.ofSeconds(30)).until(() -> !pilot.isAlive());
        assertThat(alice.get("/api/v1/executions/" + execution).json().path("status").asString()).isNotEqualTo("Finished");
        assertThat(auditActions()).contains("pilot-stopped " + pilotId);
        browser.go("/admin");
        assertThat(browser.all("#pilot-" + pilotId + " button")).as("no button on a pilot that left").isEmpty();
    }

    @Test
    void anUnknownPilotCannotBeDrained() {
        browser.go("/admin");
        // The form's own request, as a stale page would send it for a pilot gone from the table.
        String answer = (String) browser.script("""
                const token = document.querySelector('meta[name="csrf-token"]').content;
                const xhr = new XMLHttpRequest();
                xhr.open('POST', '/admin/pilots/no-such-pilot/drain', false);
                xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
                xhr.setRequestHeader('Accept', 'text/html');
                xhr.send('_csrf=' + encodeURIComponent(token));
                return xhr.status + ' ' + xhr.responseText;""");
        assertThat(answer).startsWith("404").contains("No pilot no-such-pilot running");
    }

    private static String adminPassword() {
        try {
            return Files.readString(server.dataDir().resolve("admin.password")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void clickInPilotRow(String pilotId, String button) {
        browser.go("/admin");
        // Stop asks first: its button is folded under "Stop…"
        browser.all("#pilot-" + pilotId + " summary").forEach(summary -> summary.click());
        browser.all("#pilot-" + pilotId + " button").stream().filter(b -> b.getText().equals(button)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + button + " button for pilot " + pilotId)).click();
    }

    private JsonNode task(String execution) {
        return alice.get("/api/v1/executions/" + execution + "/tasks").json().get(0);
    }

    /** Waits until the execution's task runs, and answers the pilot it runs on. */
    private String awaitRunningOn(String execution) {
        await().atMost(Duration.ofSeconds(60)).until(() -> task(execution).path("status").asString().equals("RUNNING"));
        String pilotId = task(execution).path("attempts").get(0).path("pilotId").asString();
        assertThat(server.bean(PilotRegistry.class).recent(10)).extracting(PilotRegistry.PilotInfo::id).contains(pilotId);
        return pilotId;
    }

    private static List<String> auditActions() {
        var acts = new ArrayList<String>();
        for (JsonNode event : admin.get("/api/v1/audit?size=200").json().path("events")) {
            acts.add(event.path("action").asString() + " " + event.path("target").asString());
        }
        return acts;
    }

    /** A manual site of its own and one pilot on it, one slot, started as a person would (the jar, the site's token). */
    private Process startPilot(String name) throws IOException, InterruptedException {
        var site = admin.post("/api/v1/sites", "{\"name\": \"" + name + "\", \"kind\": \"manual\", \"slotsPerPilot\": 1}");
        assertThat(site.status()).as(site.body()).isEqualTo(201);
        Path jar = host.resolve("escadrille-pilot.jar");
        var download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/pilot.jar")).build(),
                HttpResponse.BodyHandlers.ofFile(jar));
        assertThat(download.statusCode()).isEqualTo(200);
        String taskPath = server.dataDir().resolve("tools").resolve("bin") + File.pathSeparator
                + Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", jar.toString(), "--server", server.url(), "--token", site.json().path("token").asString(),
                "--slots", "1", "--work-dir", host.resolve("work").toString(), "--sandbox", "none", "--task-path", taskPath)
                .redirectErrorStream(true).redirectOutput(host.resolve(name + ".log").toFile());
        builder.environment().remove("ESCADRILLE_PILOT_TOKEN");
        Process process = builder.start();
        started.add(process);
        return process;
    }
}
