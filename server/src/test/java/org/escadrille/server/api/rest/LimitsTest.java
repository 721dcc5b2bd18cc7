package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The limits on what a user sends (issue 19): each over-limit request is a 4xx that names the limit
 * and the setting that raises it, and leaves nothing behind. With the default settings: they are the
 * ones that must keep a server up.
 */
@Tag("e2e")
class LimitsTest {
    private static TestServer server;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        alice = server.newUser("alice");
        var published = server.admin().post("/api/v1/apps", ECHO);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final String ECHO = """
            {"name": "echo", "tool-version": "1", "schema-version": "0.5", "description": "Echoes.",
             "command-line": "echo [TEXT] [N] > out.txt",
             "inputs": [{"id": "text", "name": "Text", "type": "String", "value-key": "[TEXT]", "optional": true},
                        {"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "optional": true}],
             "output-files": [{"id": "out", "name": "Out", "path-template": "out.txt"}]}""";

    private static void assertProblem(ApiClient.Response response, int status, String... phrases) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "org.escadrille");
        for (String phrase : phrases) {
            assertThat(response.json().path("detail").asString()).contains(phrase);
        }
    }

    private static int executionsOf(ApiClient client) {
        return client.get("/api/v1/executions").json().size();
    }

    @Test
    void aMillionTaskStaticSplitIsRefusedAtOnceNamingTheSetting() {
        int before = executionsOf(alice);

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "split", "static",
                "tasks", 1_000_000, "inputs", Map.of("events", 1_000_000_000))));

        assertProblem(response, 400, "1000000", "escadrille.limits.monte-carlo-tasks");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("tasks");
        assertThat(executionsOf(alice)).isEqualTo(before);
    }

    @Test
    void aHundredThousandPointSweepIsRefusedAndNothingIsInserted() {
        int before = executionsOf(alice);
        var values = IntStream.range(0, 100_000).boxed().toList();

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "echo", "inputs", Map.of("n", values))));

        assertProblem(response, 400, "100000 tasks", "escadrille.limits.tasks-per-launch");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("inputs.n");
        assertThat(executionsOf(alice)).isEqualTo(before);
    }

    @Test
    void aCrossProductOverTheLimitIsRefusedThoughEachListIsSmall() {
        var values = IntStream.range(0, 200).boxed().toList();
        var texts = IntStream.range(0, 200).mapToObj(i -> "t" + i).toList();

        var response = alice.post("/api/v1/executions",
                ApiClient.json(Map.of("app", "echo", "inputs", Map.of("n", values, "text", texts))));

        assertProblem(response, 400, "40000 tasks", "escadrille.limits.tasks-per-launch");
    }

    @Test
    void aFiftyMegabyteBodyIsRefusedBeforeItIsRead() {
        int before = executionsOf(alice);
        String huge = "x".repeat(50 * 1024 * 1024);

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "echo", "inputs", Map.of("text", huge))));

        assertProblem(response, 413, "escadrille.limits.request-bytes");
        assertThat(executionsOf(alice)).isEqualTo(before);
    }

    @Test
    void aValueOverTheLimitIsRefusedNextToItsInput() {
        var response = alice.post("/api/v1/executions",
                ApiClient.json(Map.of("app", "echo", "inputs", Map.of("text", "x".repeat(100_000)))));

        assertProblem(response, 400, "escadrille.limits.value-bytes");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("inputs.text");
    }

    @Test
    void anInvocationOverTheLimitIsRefused() {
        var texts = IntStream.range(0, 40).mapToObj(i -> "y".repeat(30_000)).toList();

        var response = alice.post("/api/v1/executions",
                ApiClient.json(Map.of("app", "echo", "iterate", "dot", "inputs", Map.of("text", texts))));

        assertProblem(response, 400, "escadrille.limits.invocation-bytes");
    }

    @Test
    void anExecutionNameOverTwoHundredCharactersIsABadRequest() {
        var response = alice.post("/api/v1/executions",
                ApiClient.json(Map.of("app", "echo", "name", "n".repeat(201), "inputs", Map.of("n", 1))));

        assertProblem(response, 400, "at most 200");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
    }

    @Test
    void anApplicationNameThatIsAPathIsRefusedAndThePagesStayUp() {
        var response = server.admin().post("/api/v1/apps", ECHO.replace("\"echo\"", "\"../../etc\""));

        assertProblem(response, 400, "'../../etc' is not allowed");
        assertThat(alice.get("/api/v1/apps").status()).isEqualTo(200);
    }

    @Test
    void aVersionWithASlashIsRefused() {
        var response = server.admin().post("/api/v1/apps", ECHO.replace("\"tool-version\": \"1\"", "\"tool-version\": \"1/2\""));

        assertProblem(response, 400, "'1/2' is not allowed");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("tool-version");
    }

    @Test
    void aLongDescriptionIsRefusedNamingTheField() {
        var response = server.admin().post("/api/v1/apps",
                ECHO.replace("\"Echoes.\"", "\"" + "d".repeat(20_000) + "\"").replace("\"echo\"", "\"echo-long\""));

        assertProblem(response, 400, "description", "escadrille.limits.descriptor-field-chars");
    }

    @Test
    void aDescriptorOverTheLimitIsRefused() {
        String padding = IntStream.range(0, 40).mapToObj(i -> "\"p" + i + "\": \"" + "d".repeat(10_000) + "\"")
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        var response = server.admin().post("/api/v1/apps",
                ECHO.replace("\"schema-version\"", "\"custom\": {" + padding + "}, \"schema-version\""));

        assertProblem(response, 400, "escadrille.limits.descriptor-bytes");
    }

    @Test
    void aFileNameOfThreeHundredCharactersIsABadRequest() {
        var response = alice.put("/api/v1/files/data/" + "f".repeat(300), "x".getBytes(StandardCharsets.UTF_8));

        assertProblem(response, 400, "longer than 255 bytes");
    }

    @Test
    void aFileUnderAPathWhoseParentIsAFileIsABadRequest() {
        assertThat(alice.put("/api/v1/files/plain.txt", "x".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);

        var response = alice.put("/api/v1/files/plain.txt/inner.txt", "y".getBytes(StandardCharsets.UTF_8));

        assertProblem(response, 400, "'plain.txt' is a file");
    }

    @Test
    void aPathWithAControlCharacterIsRefused() {
        var response = alice.get("/api/v1/files?dir=bad%09name");

        assertProblem(response, 400, "control characters");
    }

    @Test
    void aMultipartFormSentToTheUploadEndpointIsRefusedWith415() {
        var response = alice.send("PUT", "/api/v1/files/form.txt", "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n--xyz--\r\n".getBytes(StandardCharsets.UTF_8));

        assertProblem(response, 415, "raw bytes");
        assertThat(alice.get("/api/v1/files/form.txt").status()).isEqualTo(404);
    }

    @Test
    void theErrorPathIsNoServerError() {
        var response = alice.get("/error");

        assertThat(response.status()).as(response.body()).isBetween(400, 499);
    }

    @Test
    void anOutputPathTemplateLeavingTheWorkingDirectoryIsRefusedAtLaunchNamingTheOutput() {
        String escaping = ECHO.replace("\"echo\"", "\"escaping\"").replace("\"out.txt\"", "\"../../cfg.txt\"");
        assertThat(server.admin().post("/api/v1/apps", escaping).status()).isEqualTo(201);

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "escaping", "inputs", Map.of("n", 1))));

        assertProblem(response, 400, "output-files.out");
    }

    @Test
    void aConfigurationFileLeavingTheWorkingDirectoryIsRefusedAtLaunchNamingTheOutput() {
        String escaping = ECHO.replace("\"echo\"", "\"escaping-config\"")
                .replace("\"path-template\": \"out.txt\"", "\"path-template\": \"../../cfg.txt\", \"file-template\": [\"n=[N]\"]");
        var published = server.admin().post("/api/v1/apps", escaping);
        assertThat(published.status()).as(published.body()).isEqualTo(201);

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "escaping-config", "inputs", Map.of("n", 1))));

        assertProblem(response, 400, "output-files.out");
    }
}
