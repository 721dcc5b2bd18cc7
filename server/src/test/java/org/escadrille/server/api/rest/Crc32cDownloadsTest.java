package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A file uploaded through {@code PUT /api/v1/files/{path}} is recorded with the CRC32C of its bytes beside
 * its SHA-256, and downloaded with it ({@code X-Escadrille-CRC32C}, and {@code crc32c} in the listing), for
 * clients to check the transfer cheaply; a file recorded without one is sent without the header.
 */
@Tag("e2e")
class Crc32cDownloadsTest {
    private static TestServer server;
    private static ApiClient ada;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        ada = server.newUser("ada");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] random(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }

    private static String crc32c(byte[] content) {
        var crc = new CRC32C();
        crc.update(content);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static HttpResponse<byte[]> get(String path, String range) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("apikey", ada.apiKey());
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode listed(String dir, String name) {
        for (JsonNode entry : ada.get("/api/v1/files?dir=" + dir).json().path("entries")) {
            if (entry.path("name").asString().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError(name + " not listed in " + dir);
    }

    @Test
    void anUploadIsRecordedWithItsCrc32cAndDownloadedWithIt() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 5);

        var stored = ada.put("/api/v1/files/crc/big.bin", content);
        var whole = get("/api/v1/files/crc/big.bin", null);
        var range = get("/api/v1/files/crc/big.bin", "bytes=10-99");

        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.json().path("crc32c").asString()).isEqualTo(crc32c(content));
        assertThat(whole.body()).isEqualTo(content);
        assertThat(whole.headers().firstValue("X-Escadrille-CRC32C")).hasValue(crc32c(content));
        assertThat(whole.headers().firstValue("X-Escadrille-SHA256")).hasValue(Sha256.of(content));
        // A range is answered with the checksums of the whole file, as the SHA-256 always was.
        assertThat(range.headers().firstValue("X-Escadrille-CRC32C")).hasValue(crc32c(content));
        assertThat(listed("crc", "big.bin").path("crc32c").asString()).isEqualTo(crc32c(content));
    }

    @Test
    void aFileReplacedThroughTheApiGetsTheCrc32cOfItsNewBytes() throws Exception {
        byte[] first = random(1000);
        byte[] second = random(2000);

        ada.put("/api/v1/files/crc/again.bin", first);
        ada.put("/api/v1/files/crc/again.bin", second);

        assertThat(get("/api/v1/files/crc/again.bin", null).headers().firstValue("X-Escadrille-CRC32C"))
                .hasValue(crc32c(second));
    }

    @Test
    void aFileRecordedWithoutACrc32cIsSentWithItsSha256Only() throws Exception {
        byte[] content = random(4096);
        ada.put("/api/v1/files/crc/old.bin", content);
        // As a file stored before the server recorded CRC32Cs.
        server.bean(JdbcClient.class).sql("UPDATE stored_files SET crc32c = NULL WHERE path = 'crc/old.bin'").update();

        var response = get("/api/v1/files/crc/old.bin", null);

        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("X-Escadrille-SHA256")).hasValue(Sha256.of(content));
        assertThat(response.headers().firstValue("X-Escadrille-CRC32C")).isEmpty();
        assertThat(listed("crc", "old.bin").path("crc32c").isString()).isFalse();
    }
}
