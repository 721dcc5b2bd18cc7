package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Bad input gets a 4xx problem document that names the problem and what to do; never a 5xx, never a
 * stack trace. And a user never sees another's executions, logs or files. (No pilots: nothing runs.)
 */
@Tag("e2e")
class ApiValidationTest {
    private static TestServer server;
    private static ApiClient alice;
    private static ApiClient bob;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        alice = server.newUser("alice");
        bob = server.newUser("bob");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anUploadWhoseClientGoesAwayMidwayIsNoIncidentAndLeavesNoFile(CapturedOutput output) throws Exception {
        var base = URI.create(server.url());
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            var out = socket.getOutputStream();
            out.write(("PUT /api/v1/files/partial.bin HTTP/1.1\r\nHost: localhost\r\napikey: " + alice.apiKey()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() -> output.getAll().contains("PUT /api/v1/files/partial.bin: the client went away"));
        assertThat(output.getAll()).doesNotContain("incident");
        assertThat(alice.get("/api/v1/files/partial.bin").status()).isEqualTo(404);
    }

    private static void assertProblem(ApiClient.Response response, int status, String... phrases) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "org.escadrille");
        for (String phrase : phrases) {
            assertThat(response.json().path("detail").asString()).contains(phrase);
        }
    }

    @Test
    void unknownApplicationIsNotFoundWithAPointerToTheCatalogue() {
        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "nosuchapp")));

        assertProblem(response, 404, "no application named 'nosuchapp'", "escadrille apps");
    }

    @Test
    void missingRequiredInputIsNamed() {
        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "inputs", Map.of())));

        assertProblem(response, 400, "events");
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("inputs.events");
    }

    @Test
    void valueOfTheWrongTypeIsNamed() {
        var response = alice.post("/api/v1/executions",
                ApiClient.json(Map.of("app", "pi", "inputs", Map.of("events", "ten"))));

        assertProblem(response, 400, "events");
        assertThat(response.body()).contains("ten");
    }

    @Test
    void unknownInputIsNamedWithTheRealOnes() {
        var response = alice.post("/api/v1/executions",
                ApiClient.json(Map.of("app", "pi", "inputs", Map.of("events", 10, "evnets", 10))));

        assertProblem(response, 400, "evnets");
        assertThat(response.body()).contains("events");
    }

    @Test
    void malformedJsonBodyIsABadRequest() {
        assertProblem(alice.post("/api/v1/executions", "{\"app\": \"pi\", "), 400, "not the JSON expected");
        assertProblem(alice.post("/api/v1/executions", "[1, 2]"), 400, "not the JSON expected");
    }

    @Test
    void aBodyOfTheWrongShapeIsExplainedInPlainWordsWithoutJavaNames() {
        var inputsAList = alice.post("/api/v1/executions", "{\"app\": \"pi\", \"inputs\": [1]}");
        var appAnObject = alice.post("/api/v1/executions", "{\"app\": {\"name\": \"pi\"}}");
        var tasksAWord = alice.post("/api/v1/executions", "{\"app\": \"pi\", \"tasks\": \"many\"}");

        assertProblem(inputsAList, 400, "'inputs' must be an object");
        assertProblem(appAnObject, 400, "'app' must be a string");
        assertProblem(tasksAWord, 400, "'tasks' cannot be 'many'", "a whole number");
        for (var response : List.of(inputsAList, appAnObject, tasksAWord)) {
            assertThat(response.body()).doesNotContain("java.", "tools.jackson", "LinkedHashMap", "Integer", "deserialize", "`");
        }
    }

    @Test
    void pathsOutsideTheUserSpaceAreRefused() {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);

        assertProblem(alice.put("/api/v1/files/data/..%2F..%2Fbob%2Fsecret", body), 400);
        assertProblem(alice.put("/api/v1/files/data/%2e%2e/%2e%2e/bob/secret", body), 400);
        assertProblem(alice.get("/api/v1/files?dir=../bob"), 400, "inside your space");
    }

    @Test
    void aFileInputOutsideTheUserSpaceIsRefused() {
        var published = server.admin().post("/api/v1/apps", COUNT_DESCRIPTOR);
        assertThat(published.status()).as(published.body()).isIn(200, 201);

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "count",
                "inputs", Map.of("input", "../../bob/data.txt"))));

        assertProblem(response, 400, "inside your space");
    }

    @Test
    void aFileInputThatDoesNotExistIsNamed() {
        server.admin().post("/api/v1/apps", COUNT_DESCRIPTOR);

        var response = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "count",
                "inputs", Map.of("input", "nowhere/data.txt"))));

        assertThat(response.status()).isBetween(400, 404);
        assertThat(response.body()).contains("nowhere/data.txt");
    }

    @Test
    void onlyDevelopersAndAdminsPublish() {
        assertProblem(alice.post("/api/v1/apps", COUNT_DESCRIPTOR), 403, "developer");
    }

    private static final String COUNT_DESCRIPTOR = """
            {"name": "count", "tool-version": "1.0", "schema-version": "0.5",
             "description": "Counts the bytes of a file.",
             "command-line": "wc -c < [INPUT] > count.txt",
             "inputs": [{"id": "input", "name": "Input file", "type": "File", "value-key": "[INPUT]"}],
             "output-files": [{"id": "count", "name": "Byte count", "path-template": "count.txt"}]}""";

    @Test
    void noKeyOrAWrongKeyIsUnauthorizedWithHowToFixIt() {
        assertProblem(alice.as(null).get("/api/v1/executions"), 401, "apikey");
        assertProblem(alice.as("not-a-key").get("/api/v1/executions"), 401, "unknown");
    }

    @Test
    void unknownEndpointIsNotFound() {
        assertProblem(alice.get("/api/v1/nothing-here"), 404, "no endpoint");
    }

    @Test
    void anotherUsersExecutionLogsAndFilesAreNotFound() {
        var upload = alice.put("/api/v1/files/private/notes.txt", "secret".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).isEqualTo(201);
        var launched = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "inputs", Map.of("events", 1000))));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        String id = launched.json().path("id").asString();

        for (String path : List.of("/api/v1/executions/" + id, "/api/v1/executions/" + id + "/tasks",
                "/api/v1/executions/" + id + "/logs", "/api/v1/files/private/notes.txt")) {
            assertProblem(bob.get(path), 404);
        }
        assertProblem(bob.post("/api/v1/executions/" + id + "/kill", ""), 404);
        assertThat(bob.get("/api/v1/executions").json()).isEmpty();
        assertThat(bob.get("/api/v1/files?dir=private").json().path("entries")).isEmpty();
        assertThat(alice.get("/api/v1/executions/" + id).status()).isEqualTo(200);
    }

    @Test
    void anUploadedFileComesBackWithItsChecksum() {
        byte[] content = "hello, escadrille\n".getBytes(StandardCharsets.UTF_8);

        var stored = alice.put("/api/v1/files/inputs/hello.txt", content);
        var downloaded = alice.get("/api/v1/files/inputs/hello.txt");

        assertThat(stored.json().path("sha256").asString()).isEqualTo(Sha256.of(content));
        assertThat(downloaded.body()).isEqualTo("hello, escadrille\n");
        assertThat(downloaded.headers().firstValue("X-Escadrille-SHA256")).hasValue(Sha256.of(content));
    }

}
