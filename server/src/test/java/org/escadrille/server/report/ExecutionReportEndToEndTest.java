package org.escadrille.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The execution report of real executions run by a local pilot process: every task, the checksums of
 * inputs and outputs, the footprint the API gives, nothing fetched from elsewhere, user values escaped,
 * and the execution's own access rules.
 */
@Tag("e2e")
class ExecutionReportEndToEndTest {
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final byte[] DATA = "hello report\n".getBytes(StandardCharsets.UTF_8);
    private static TestServer server;
    private static ApiClient alice;
    private static ApiClient bob;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).start();
        alice = server.newUser("alice");
        bob = server.newUser("bob");
        var published = server.admin().post("/api/v1/apps", """
                {"name": "greet", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "cat [DATA] > out.txt; echo [X] >> out.txt",
                 "inputs": [{"id": "data", "name": "Data", "type": "File", "value-key": "[DATA]"},
                            {"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        assertThat(published.status()).as(published.body()).isIn(200, 201);
        var uploaded = alice.put("/api/v1/files/data/in.txt", DATA);
        assertThat(uploaded.status()).as(uploaded.body()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theReportOfAFinishedSweepHoldsEveryTaskTheChecksumsAndTheFootprintOfTheApi() {
        String id = alice.launch(Map.of("app", "greet", "name", "greetings",
                "inputs", Map.of("data", "data/in.txt", "x", List.of(SCRIPT, "b", "c"))));
        JsonNode execution = alice.awaitEnd(id, Duration.ofSeconds(60));
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");

        var response = alice.get("/api/v1/executions/" + id + "/report");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment").contains("filename=\"" + id + "-report.html\"");
        String html = response.body();
        assertThat(Pattern.compile("<tr class=\"task\"").matcher(html).results().count()).isEqualTo(3);
        for (JsonNode task : alice.get("/api/v1/executions/" + id + "/tasks").json()) {
            assertThat(html).contains(escaped(task.path("commandLine").asString()));
        }
        assertThat(execution.path("outputs")).hasSize(3);
        for (JsonNode output : execution.path("outputs")) {
            assertThat(html).contains(output.path("sha256").asString(), output.path("path").asString());
        }
        assertThat(html).contains(Sha256.of(DATA), "data/in.txt", execution.path("digest").asString());
        JsonNode footprint = execution.path("footprint");
        assertThat(footprint.path("attempts").asInt()).isEqualTo(3);
        assertThat(number(html, "data-wh")).isEqualTo(footprint.path("energyWh").asDouble());
        assertThat(number(html, "data-grams")).isEqualTo(footprint.path("carbonGrams").asDouble());
        assertThat(number(html, "data-share")).isEqualTo(footprint.path("wastedShare").asDouble());
        assertThat(html).contains("id=\"timeline\"", "id=\"cpu-chart\"", "id=\"wall-chart\"", "id=\"memory-chart\"")
                .doesNotContain("id=\"snapshot\"");
    }

    @Test
    void theReportFetchesNothingAndWritesUserValuesAsText() {
        String id = alice.launch(Map.of("app", "greet", "name", "escaping",
                "inputs", Map.of("data", "data/in.txt", "x", SCRIPT)));
        alice.awaitEnd(id, Duration.ofSeconds(60));

        String html = alice.get("/api/v1/executions/" + id + "/report").body();

        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain(SCRIPT)
                .doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("<img")
                .doesNotContainIgnoringCase("<iframe")
                .doesNotContainIgnoringCase("src=\"http")
                .doesNotContainIgnoringCase("href=\"http")
                .doesNotContainIgnoringCase("url(")
                .doesNotContainIgnoringCase("@import")
                .contains("<style>", "<svg");
    }

    @Test
    void onlyTheOwnerAndAdminsGetTheReport() {
        String id = alice.launch(Map.of("app", "greet", "inputs", Map.of("data", "data/in.txt", "x", "a")));
        alice.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(bob.get("/api/v1/executions/" + id + "/report").status()).isEqualTo(404);
        assertThat(server.admin().get("/api/v1/executions/" + id + "/report").status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/executions/no-such-execution/report").status()).isEqualTo(404);
        assertThat(alice.as(null).get("/api/v1/executions/" + id + "/report").status()).isEqualTo(401);
    }

    @Test
    void theReportOfARunningExecutionIsASnapshotThatSaysSo() {
        // about 4 s of work: the report is asked for while it runs
        String id = alice.launch(Map.of("app", "pi", "split", "none",
                "inputs", Map.of("events", "1500000000", "seed", 7)));
        await().atMost(Duration.ofSeconds(30)).until(
                () -> alice.get("/api/v1/executions/" + id).json().path("status").asString().equals("Running"));

        var response = alice.get("/api/v1/executions/" + id + "/report");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("id=\"snapshot\"", "This is a snapshot");
        alice.post("/api/v1/executions/" + id + "/kill", "{}");
        alice.awaitEnd(id, Duration.ofSeconds(30));
    }

    @Test
    void theReportOfAMonteCarloRunQuotesItsMergedResultForItsOwner() {
        String id = alice.launch(Map.of("app", "pi", "inputs", Map.of("events", "20000000", "seed", 13)));
        JsonNode execution = alice.awaitEnd(id, Duration.ofSeconds(60));
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode merged = null;
        for (JsonNode output : execution.path("outputs")) {
            if (output.path("merged").asBoolean()) {
                merged = output;
            }
        }
        assertThat(merged).as(execution.toString()).isNotNull();
        String result = alice.get("/api/v1/files/" + merged.path("path").asString()).body();

        String html = alice.get("/api/v1/executions/" + id + "/report").body();

        assertThat(html).contains("Merged result", escaped(result.strip()), "id=\"monte-carlo\"",
                "of 20,000,000 events simulated");
        assertThat(server.admin().get("/api/v1/executions/" + id + "/report").body()).doesNotContain("Merged result");
    }

    private static double number(String html, String attribute) {
        var values = new ArrayList<Double>();
        Pattern.compile(attribute + "=\"([^\"]+)\"").matcher(html).results()
                .forEach(match -> values.add(Double.parseDouble(match.group(1))));
        assertThat(values).as(attribute).hasSize(1);
        return values.getFirst();
    }

    /** As the report writes text: HTML's special characters escaped. */
    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
