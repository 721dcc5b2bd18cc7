package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The caller's space as CARMIN's paths under /vip/Home. */
@Tag("e2e")
@Exercises({"GET /path/{completePath}", "PUT /path/{completePath}", "DELETE /path/{completePath}"})
class PathApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestServer server;
    private static CarminClient alice;
    private static CarminClient bob;

    @BeforeAll
    static void start() {
        var spec = CarminSpec.load();
        assumeTrue(spec.isPresent(), SharedSpecs.MISSING);
        server = TestServer.builder().pilots(false).start();
        alice = new CarminClient(spec.get(), server.url(), server.newUser("carmin-path-alice").apiKey());
        bob = new CarminClient(spec.get(), server.url(), server.newUser("carmin-path-bob").apiKey());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDirectoryIsMadeByAPutWithoutBodyAndAFileByItsBytes() {
        var made = alice.send("PUT", "/path/vip/Home/made", null, null);
        var stored = alice.put("/path/vip/Home/made/a.txt", "application/octet-stream", "hello\n".getBytes());

        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().path("isDirectory").asBoolean()).isTrue();
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        assertThat(stored.json().path("platformPath").asString()).isEqualTo("/vip/Home/made/a.txt");
        assertThat(stored.json().path("size").asLong()).isEqualTo(6);
        assertThat(alice.get("/path/vip/Home/made/a.txt?action=content").body()).isEqualTo("hello\n");
        alice.send("PUT", "/path/vip/Home/made", null, null).isError(409, 40900);
    }

    @Test
    void existsPropertiesListAndMd5DescribeWhatIsThere() throws Exception {
        alice.send("PUT", "/path/vip/Home/described", null, null);
        alice.put("/path/vip/Home/described/b.txt", "application/octet-stream", "bytes".getBytes());

        assertThat(alice.get("/path/vip/Home/described/b.txt?action=exists").json().path("exists").asBoolean()).isTrue();
        assertThat(alice.get("/path/vip/Home/described/nothing?action=exists").json().path("exists").asBoolean()).isFalse();
        assertThat(alice.get("/path/vip/Home?action=exists").json().path("exists").asBoolean()).isTrue();
        JsonNode properties = alice.get("/path/vip/Home/described/b.txt?action=properties").json();
        assertThat(properties.path("isDirectory").asBoolean()).isFalse();
        assertThat(properties.path("path").asString()).as("VIP's client reads 'path'").isEqualTo("/vip/Home/described/b.txt");
        var listing = alice.get("/path/vip/Home/described?action=list").json();
        assertThat(listing.valueStream().map(p -> p.path("platformPath").asString())).containsExactly("/vip/Home/described/b.txt");
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest("bytes".getBytes()));
        assertThat(alice.get("/path/vip/Home/described/b.txt?action=md5").json().path("md5").asString()).isEqualTo(md5);
    }

    @Test
    void carminJsonUploadsAFileOrAZipArchiveAsADirectory() throws IOException {
        var file = alice.put("/path/vip/Home/encoded.txt", "application/carmin+json", json(Map.of(
                "type", "File", "base64Content", Base64.getEncoder().encodeToString("decoded".getBytes()))));
        var zip = new ByteArrayOutputStream();
        try (var out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("sub/one.txt"));
            out.write("1".getBytes());
            out.putNextEntry(new ZipEntry("two.txt"));
            out.write("22".getBytes());
        }
        var archive = alice.put("/path/vip/Home/unzipped", "application/carmin+json", json(Map.of(
                "type", "Archive", "base64Content", Base64.getEncoder().encodeToString(zip.toByteArray()))));

        assertThat(file.status()).as(file.body()).isEqualTo(201);
        assertThat(alice.get("/path/vip/Home/encoded.txt?action=content").body()).isEqualTo("decoded");
        assertThat(archive.status()).as(archive.body()).isEqualTo(201);
        assertThat(alice.get("/path/vip/Home/unzipped/sub/one.txt?action=content").body()).isEqualTo("1");
        assertThat(alice.get("/path/vip/Home/unzipped/two.txt?action=content").body()).isEqualTo("22");
    }

    @Test
    void aDirectorysContentIsATarArchive() {
        alice.send("PUT", "/path/vip/Home/tarred", null, null);
        alice.put("/path/vip/Home/tarred/c.txt", "application/octet-stream", "tar me".getBytes());

        var tar = alice.get("/path/vip/Home/tarred?action=content");

        assertThat(tar.status()).isEqualTo(200);
        assertThat(tar.bytes().length % 512).isZero();
        assertThat(new String(tar.bytes(), 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
        assertThat(new String(tar.bytes(), StandardCharsets.ISO_8859_1)).contains("tarred/c.txt").contains("tar me");
    }

    @Test
    void deleteRemovesAFileOrADirectoryWithItsContent() {
        alice.send("PUT", "/path/vip/Home/doomed", null, null);
        alice.put("/path/vip/Home/doomed/d.txt", "application/octet-stream", "x".getBytes());

        assertThat(alice.delete("/path/vip/Home/doomed").status()).isEqualTo(204);
        assertThat(alice.get("/path/vip/Home/doomed?action=exists").json().path("exists").asBoolean()).isFalse();
        alice.delete("/path/vip/Home/doomed").isError(404, 40400);
    }

    @Test
    void anotherUsersFilesAreNotFoundInOnesOwnSpace() {
        alice.put("/path/vip/Home/private.txt", "application/octet-stream", "secret".getBytes());

        bob.get("/path/vip/Home/private.txt?action=content").isError(404, 40400);
        bob.get("/path/vip/Home/private.txt?action=properties").isError(404, 40400);
        bob.delete("/path/vip/Home/private.txt").isError(404, 40400);
        assertThat(bob.get("/path/vip/Home/private.txt?action=exists").json().path("exists").asBoolean()).isFalse();
    }

    @Test
    void pathsOutsideTheHomeAndMissingActionsAreRefusedWithWhatToWrite() {
        var outside = alice.get("/path/etc/passwd?action=content").isError(400, 40000);
        var noAction = alice.sendingInvalidRequests().get("/path/vip/Home").isError(400, 40000);
        var noParent = alice.put("/path/vip/Home/absent/e.txt", "application/octet-stream", "x".getBytes()).isError(400, 40000);

        assertThat(outside.json().path("errorMessage").asString()).contains("/vip/Home");
        assertThat(noAction.json().path("errorMessage").asString()).contains("content, exists, properties, list");
        assertThat(noParent.json().path("errorMessage").asString()).contains("/vip/Home/absent");
        assertThat(alice.get("/path/vip/Home/nothing-here?action=list").isError(404, 40400)).isNotNull();
    }

    @Test
    void anUndecodableQueryStringIsABadRequest() {
        var refused = alice.sendingInvalidRequests().get("/path/vip/Home?%C0%AE=%20&action=list").isError(400, 40000);

        assertThat(refused.json().path("errorMessage").asString()).contains("percent-encode");
    }

    private static byte[] json(Map<String, String> body) {
        return JSON.writeValueAsBytes(body);
    }
}
