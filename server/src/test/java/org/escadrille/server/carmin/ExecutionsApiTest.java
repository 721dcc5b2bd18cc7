package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.nio.charset.StandardCharsets;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Executions through CARMIN, run by real local pilots: the engine's, seen as VIP shows them. */
@Tag("e2e")
@Exercises({"GET /executions", "POST /executions", "GET /executions/count", "GET /executions/{executionIdentifier}",
        "PUT /executions/{executionIdentifier}", "DELETE /executions/{executionIdentifier}",
        "GET /executions/{executionIdentifier}/results", "GET /executions/{executionIdentifier}/stdout",
        "GET /executions/{executionIdentifier}/stderr", "PUT /executions/{executionIdentifier}/play",
        "PUT /executions/{executionIdentifier}/kill"})
class ExecutionsApiTest {
    private static final String SPEAKER = """
            {"name": "speaker", "tool-version": "1.0", "schema-version": "0.5", "description": "Says a word twice.",
             "command-line": "echo [WORD]; echo [WORD] 1>&2",
             "inputs": [{"id": "word", "name": "Word", "type": "String", "value-key": "[WORD]"}]}
            """;
    private static final Set<String> TERMINAL = Set.of("Finished", "InitializationFailed", "ExecutionFailed", "Killed");
    private static TestServer server;
    private static CarminClient alice;
    private static CarminClient bob;
    /** For VIP's extensions, which carmin.yaml does not have. */
    private static ApiClient aliceBeyondCarmin;
    private static ApiClient bobBeyondCarmin;

    @BeforeAll
    static void start() {
        var spec = CarminSpec.load();
        assumeTrue(spec.isPresent(), SharedSpecs.MISSING);
        server = TestServer.builder().start();
        var admin = server.bean(AccountService.class).findByUsername("admin").orElseThrow();
        server.bean(Catalog.class).publish(SPEAKER, admin);
        aliceBeyondCarmin = server.newUser("carmin-exec-alice");
        bobBeyondCarmin = server.newUser("carmin-exec-bob");
        alice = new CarminClient(spec.get(), server.url(), aliceBeyondCarmin.apiKey());
        bob = new CarminClient(spec.get(), server.url(), bobBeyondCarmin.apiKey());
        alice.send("PUT", "/path/vip/Home/in", null, null);
        alice.put("/path/vip/Home/in/a.txt", "application/octet-stream", "alpha\n".getBytes());
        alice.put("/path/vip/Home/in/b.txt", "application/octet-stream", "beta\n".getBytes());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aListOfFilesIsASweepWhoseOutputsAreReturnedUnderTheResultsLocation() {
        var created = alice.postJson("/executions", Map.of("name", "checksums", "pipelineIdentifier", "sha256sum/9.1",
                "inputValues", Map.of("input", List.of("/vip/Home/in/a.txt", "/vip/Home/in/b.txt")),
                "resultsLocation", "/vip/Home/out"));

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("status").asString()).isIn("Running", "Finished");
        assertThat(created.json().path("inputValues").path("input").get(0).asString()).isEqualTo("/vip/Home/in/a.txt");
        String id = created.json().path("identifier").asString();
        var finished = awaitEnd(id);
        assertThat(finished.path("status").asString()).isEqualTo("Finished");
        assertThat(finished.path("endDate").asLong()).isGreaterThanOrEqualTo(finished.path("startDate").asLong());
        var returned = finished.path("returnedFiles").path("checksum");
        assertThat(returned.size()).isEqualTo(2);
        assertThat(returned.valueStream().map(JsonNode::asString)).allMatch(path -> path.startsWith("/vip/Home/out/"));

        var results = alice.get("/executions/" + id + "/results").json();
        assertThat(results.valueStream().map(p -> p.path("path").asString()))
                .containsExactlyInAnyOrderElementsOf(returned.valueStream().map(JsonNode::asString).toList());
        String first = results.valueStream().map(p -> p.path("path").asString()).filter(p -> p.endsWith("a.txt.sha256"))
                .findFirst().orElseThrow();
        assertThat(alice.get("/path" + first + "?action=content").body()).startsWith(Sha256.of("alpha\n"));
    }

    @Test
    void stdoutAndStderrAreTheTasksLogs() {
        String id = launchSpeaker("hello");
        awaitEnd(id);

        var stdout = alice.get("/executions/" + id + "/stdout");
        var stderr = alice.get("/executions/" + id + "/stderr");

        assertThat(stdout.status()).isEqualTo(200);
        assertThat(stdout.body()).isEqualTo("hello\n");
        assertThat(stderr.body()).isEqualTo("hello\n");
    }

    @Test
    void executionsAreListedNewestFirstPagedAndCounted() {
        String older = launchSpeaker("one");
        String newer = launchSpeaker("two");

        var firstTwo = alice.get("/executions?offset=0&limit=2").json();
        var second = alice.get("/executions?offset=1&limit=1").json();
        int count = Integer.parseInt(alice.get("/executions/count").body().strip());

        assertThat(firstTwo.valueStream().map(e -> e.path("identifier").asString())).containsExactly(newer, older);
        assertThat(second.get(0).path("identifier").asString()).isEqualTo(older);
        assertThat(count).isGreaterThanOrEqualTo(2).isEqualTo(alice.get("/executions").json().size());
        alice.get("/executions?limit=lots").isError(400, 40000);
    }

    @Test
    void onlyTheNameChangesAndATimeoutIsRefused() {
        String id = launchSpeaker("rename");
        var execution = alice.get("/executions/" + id).json();

        var renamed = alice.putJson("/executions/" + id, Map.of("name", "renamed", "pipelineIdentifier", "speaker/1.0",
                "inputValues", Map.of("word", "rename")));
        var timeout = alice.putJson("/executions/" + id, Map.of("name", "renamed", "pipelineIdentifier", "speaker/1.0",
                "inputValues", Map.of(), "timeout", 60));

        assertThat(renamed.status()).as(renamed.body()).isEqualTo(204);
        assertThat(alice.get("/executions/" + id).json().path("name").asString()).isEqualTo("renamed");
        assertThat(execution.path("name").asString()).isEqualTo("rename");
        timeout.isError(400, 40000);
    }

    @Test
    void playIsNothingToDoAndKillEndsTheExecution() {
        var created = alice.postJson("/executions", Map.of("name", "long", "pipelineIdentifier", "pi/1.3.0",
                "inputValues", Map.of("events", "1000000000000")));
        String id = created.json().path("identifier").asString();

        assertThat(alice.send("PUT", "/executions/" + id + "/play", null, null).status()).isEqualTo(204);
        assertThat(alice.send("PUT", "/executions/" + id + "/kill", null, null).status()).isEqualTo(204);
        assertThat(awaitEnd(id).path("status").asString()).isEqualTo("Killed");
    }

    @Test
    void deleteWithDeleteFilesTakesTheOutputsToo() {
        var created = alice.postJson("/executions", Map.of("name", "doomed", "pipelineIdentifier", "sha256sum/9.1",
                "inputValues", Map.of("input", "/vip/Home/in/a.txt"), "resultsLocation", "/vip/Home/doomed"));
        String id = created.json().path("identifier").asString();
        String output = awaitEnd(id).path("returnedFiles").path("checksum").get(0).asString();

        assertThat(alice.delete("/executions/" + id + "?deleteFiles=true").status()).isEqualTo(204);
        alice.get("/executions/" + id).isError(404, 40400);
        assertThat(alice.get("/path" + output + "?action=exists").json().path("exists").asBoolean()).isFalse();
    }

    @Test
    void anotherUsersExecutionIsNotFound() {
        String id = launchSpeaker("mine");

        bob.get("/executions/" + id).isError(404, 40400);
        bob.get("/executions/" + id + "/results").isError(404, 40400);
        bob.get("/executions/" + id + "/stdout").isError(404, 40400);
        bob.send("PUT", "/executions/" + id + "/kill", null, null).isError(404, 40400);
        bob.delete("/executions/" + id).isError(404, 40400);
        assertThat(bob.get("/executions").json().valueStream().map(e -> e.path("identifier").asString())).doesNotContain(id);
    }

    @Test
    void unknownPipelinesAndInvalidValuesAreRefusedWithWhatToFix() {
        alice.postJson("/executions", Map.of("name", "x", "pipelineIdentifier", "no-such/1.0", "inputValues", Map.of()))
                .isError(404, 40400);
        var notANumber = alice.postJson("/executions", Map.of("name", "x", "pipelineIdentifier", "pi/1.3.0",
                "inputValues", Map.of("events", "lots"))).isError(400, 40000);
        var outside = alice.postJson("/executions", Map.of("name", "x", "pipelineIdentifier", "sha256sum/9.1",
                "inputValues", Map.of("input", "/etc/passwd"))).isError(400, 40000);
        alice.sendingInvalidRequests().send("POST", "/executions", "application/json", "{\"name\": [".getBytes())
                .isError(400, 40000);

        assertThat(notANumber.json().path("errorMessage").asString()).contains("events");
        assertThat(outside.json().path("errorMessage").asString()).contains("/vip/Home");
    }

    @Test
    void eachJobOfASweepHasItsOwnStdoutAndStderr() {
        var created = alice.postJson("/executions", Map.of("name", "two words", "pipelineIdentifier", "speaker/1.0",
                "inputValues", Map.of("word", List.of("first", "second"))));
        String id = created.json().path("identifier").asString();
        awaitEnd(id);

        var jobs = aliceBeyondCarmin.get("/rest/executions/" + id + "/jobs").json();

        assertThat(jobs.size()).isEqualTo(2);
        for (JsonNode job : jobs) {
            String word = job.path("label").asString().contains("first") ? "first" : "second";
            assertThat(aliceBeyondCarmin.get("/rest/executions/" + id + "/jobs/" + job.path("index").asInt() + "/stdout").body())
                    .isEqualTo(word + "\n");
            assertThat(aliceBeyondCarmin.get("/rest/executions/" + id + "/jobs/" + job.path("identifier").asString() + "/stderr")
                    .body()).isEqualTo(word + "\n");
        }
        assertThat(alice.get("/executions/" + id + "/stdout").body()).contains("first\n").contains("second\n").contains("==> task 0");
        assertThat(bobBeyondCarmin.get("/rest/executions/" + id + "/jobs").status()).isEqualTo(404);
    }

    @Test
    void theLogOfAnExecutionOfManyTasksHoldsTheFirstHundredAndSaysWhereTheRestIs() {
        var words = IntStream.range(0, 101).mapToObj(i -> "w" + i).toList();
        var created = alice.postJson("/executions", Map.of("name", "many", "pipelineIdentifier", "speaker/1.0",
                "inputValues", Map.of("word", words)));
        String id = created.json().path("identifier").asString();
        awaitEnd(id);

        String stdout = alice.get("/executions/" + id + "/stdout").body();

        assertThat(stdout).startsWith("==> the first 100 of 101 tasks; each one's log: GET /rest/executions/" + id
                + "/jobs/{index}/stdout <==");
        assertThat(stdout.lines().filter(line -> line.startsWith("==> task "))).hasSize(100);
    }

    @Test
    void anExecutionsOutputsDownloadAsOneTarArchive() {
        var created = alice.postJson("/executions", Map.of("name", "archived", "pipelineIdentifier", "sha256sum/9.1",
                "inputValues", Map.of("input", List.of("/vip/Home/in/a.txt", "/vip/Home/in/b.txt"))));
        String id = created.json().path("identifier").asString();
        awaitEnd(id);

        var archive = aliceBeyondCarmin.get("/rest/executions/" + id + "/archive");

        assertThat(archive.status()).isEqualTo(200);
        assertThat(archive.headers().firstValue("Content-Type")).hasValue("application/x-tar");
        String tar = new String(archive.body().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        assertThat(tar).contains("a.txt.sha256").contains("b.txt.sha256").contains(Sha256.of("beta\n"));
        assertThat(bobBeyondCarmin.get("/rest/executions/" + id + "/archive").status()).isEqualTo(404);
    }

    private static String launchSpeaker(String word) {
        var created = alice.postJson("/executions", Map.of("name", word, "pipelineIdentifier", "speaker/1.0",
                "inputValues", Map.of("word", word)));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().path("identifier").asString();
    }

    private static JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> alice.get("/executions/" + id).json(), e -> TERMINAL.contains(e.path("status").asString()));
    }
}
