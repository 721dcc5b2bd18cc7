package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Users' storage quotas: uploads and task outputs that would pass them are refused, saying what is used and allowed. */
@Tag("e2e")
class StorageQuotaEndToEndTest {
    private static final String COPY = """
            {"name": "copy-file", "tool-version": "1.0", "schema-version": "0.5",
             "description": "Copies a file.",
             "command-line": "cat [INPUT] > copy.bin",
             "inputs": [{"id": "input", "name": "Input file", "type": "File", "value-key": "[INPUT]"}],
             "output-files": [{"id": "copy", "name": "Copy", "path-template": "copy.bin"}]}""";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().property("escadrille.storage.quota-default", "1000B")
                .property("escadrille.scheduling.max-attempts", "1").start();
        assertThat(server.admin().post("/api/v1/apps", COPY).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anUploadThatWouldPassTheQuotaIsRefusedSayingUsedAndAllowedAndKeepsWhatWasStored() {
        ApiClient quinn = server.newUser("quinn");
        assertThat(quinn.put("/api/v1/files/a.txt", bytes(600)).status()).isEqualTo(201);

        var refused = quinn.put("/api/v1/files/b.txt", bytes(600));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().path("title").asString()).isEqualTo("Storage quota exceeded");
        assertThat(refused.json().path("detail").asString()).contains("600 bytes used of 1000 allowed (400 free)");
        assertThat(quinn.get("/api/v1/files/b.txt").status()).isEqualTo(404);
        assertThat(quinn.get("/api/v1/files/a.txt").body()).hasSize(600);
        assertThat(quinn.put("/api/v1/files/a.txt", bytes(900)).status()).as("a file replaced frees its bytes").isEqualTo(201);
    }

    @Test
    void anUploadOfUnknownLengthIsCutAtTheQuotaAndLeavesNothing() throws Exception {
        ApiClient rita = server.newUser("rita");
        var request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/files/streamed.bin"))
                .header("apikey", rita.apiKey()).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(5000)))).build();

        var response = HttpClient.newHttpClient().send(request, BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("0 bytes used of 1000 allowed");
        assertThat(rita.get("/api/v1/files/streamed.bin").status()).isEqualTo(404);
        assertThat(rita.get("/api/v1/me").json().path("storage").path("usedBytes").asLong()).isZero();
    }

    @Test
    void usageAndQuotaAreInMeAndAnAdminMaySetAUsersOwnQuota() {
        ApiClient sam = server.newUser("sam");
        sam.put("/api/v1/files/x.txt", bytes(100));

        assertThat(sam.get("/api/v1/me").json().path("storage").path("usedBytes").asLong()).isEqualTo(100);
        assertThat(sam.get("/api/v1/me").json().path("storage").path("quotaBytes").asLong()).isEqualTo(1000);
        assertThat(sam.send("PUT", "/api/v1/users/sam/storage-quota", "application/json", "{\"bytes\": 1}".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(403);

        var changed = server.admin().send("PUT", "/api/v1/users/sam/storage-quota", "application/json",
                "{\"bytes\": 5000}".getBytes(StandardCharsets.UTF_8));

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("own").asBoolean()).isTrue();
        assertThat(sam.get("/api/v1/me").json().path("storage").path("quotaBytes").asLong()).isEqualTo(5000);
        assertThat(sam.put("/api/v1/files/big.bin", bytes(3000)).status()).isEqualTo(201);
        var back = server.admin().send("PUT", "/api/v1/users/sam/storage-quota", "application/json",
                "{\"bytes\": null}".getBytes(StandardCharsets.UTF_8));
        assertThat(back.json().path("quotaBytes").asLong()).isEqualTo(1000);
        assertThat(server.admin().send("PUT", "/api/v1/users/sam/storage-quota", "application/json",
                "{\"bytes\": -5}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(server.admin().get("/api/v1/users/nobody-here/storage-quota").status()).isEqualTo(404);
    }

    @Test
    void outputsThatWouldPassTheQuotaFailTheTaskSayingUsedAndAllowedAndStoreNothing() {
        ApiClient tess = server.newUser("tess");
        assertThat(tess.put("/api/v1/files/in.bin", bytes(600)).status()).isEqualTo(201);

        String id = tess.launch(Map.of("app", "copy-file", "inputs", Map.of("input", "in.bin")));
        var execution = tess.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(execution.path("status").asString()).isEqualTo("ExecutionFailed");
        var attempt = tess.get("/api/v1/executions/" + id + "/tasks").json().get(0).path("attempts").get(0);
        assertThat(attempt.path("message").asString()).contains("would pass your storage quota")
                .contains("600 bytes used of 1000 allowed");
        assertThat(tess.get("/api/v1/me").json().path("storage").path("usedBytes").asLong()).isEqualTo(600);
    }

    private static byte[] bytes(int n) {
        return "q".repeat(n).getBytes(StandardCharsets.UTF_8);
    }
}
