package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.server.site.SiteFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A tool's {@code suggested-resources} decide which pilot may run its tasks and how many of its slots
 * they take. The one local pilot here has two slots and its host's memory.
 */
@Tag("e2e")
class TaskResourcesEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).property("escadrille.local.slots", "2").start();
        alice = Researcher.of(server, "alice");
        publish("two-cores", "\"cpu-cores\": 2");
        publish("one-core", "\"walltime-estimate\": 5");
        publish("four-cores", "\"cpu-cores\": 4");
        // A million GB: more than any host here offers.
        publish("huge-memory", "\"ram\": 1000000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void publish(String name, String resources) {
        String descriptor = """
                {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "sleep 1; echo done [X] > out.txt",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}],
                 "suggested-resources": {%s}}""".formatted(name, resources);
        assertThat(server.admin().post("/api/v1/apps", descriptor).status()).isIn(200, 201);
    }

    @Test
    void aTwoCoreTaskHasThePilotToItselfAndTasksThatFitNoPilotWaitWithTheReasonShown() throws Exception {
        // Queued first: were resources ignored, the only pilot would take them first.
        String fourCores = alice.launch(Map.of("app", "four-cores"));
        String hugeMemory = alice.launch(Map.of("app", "huge-memory"));
        String twoCores = alice.launch(Map.of("app", "two-cores"));
        String oneCore = alice.launch(Map.of("app", "one-core"));

        for (String ran : new String[] {twoCores, oneCore}) {
            JsonNode ended = alice.awaitEnd(ran, LIMIT);
            assertThat(ended.path("status").asString()).as(ended.toString()).isEqualTo("Finished");
        }
        JsonNode wide = alice.tasks(twoCores).get(0).path("attempts").get(0);
        JsonNode narrow = alice.tasks(oneCore).get(0).path("attempts").get(0);
        assertThat(wide.path("pilotId").asString()).isEqualTo(narrow.path("pilotId").asString());
        assertThat(!start(narrow).isBefore(end(wide)) || !start(wide).isBefore(end(narrow)))
                .as("the two-core task and the one-core task never ran at once on the two slots: %s, %s", wide, narrow).isTrue();

        for (String waiting : new String[] {fourCores, hugeMemory}) {
            assertThat(alice.tasks(waiting).get(0).path("attempts")).as("attempts of %s", waiting).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.bean(SiteFactory.class).unmatchedWork())
                .anySatisfy(line -> assertThat(line).contains("needing 4 core(s)", "no site offers 4 cores per pilot (at most 2)")));
        assertThat(adminPage()).as("the admin page").contains("id=\"unmatched-work\"", "no site offers 4 cores per pilot");
    }

    /** The admin page, as the admin signed in to the portal sees it. */
    private static String adminPage() throws Exception {
        var http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var login = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/login")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        var csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
        assertThat(csrf.find()).as(login.body()).isTrue();
        String password = Files.readString(server.dataDir().resolve("admin.password")).strip();
        http.send(HttpRequest.newBuilder(URI.create(server.url() + "/login")).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                        + "&username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Instant start(JsonNode attempt) {
        return Instant.parse(attempt.path("startedAt").asString());
    }

    private static Instant end(JsonNode attempt) {
        return Instant.parse(attempt.path("endedAt").asString());
    }
}
