package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;
import java.time.Clock;
import java.time.Duration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.escadrille.server.ApiClient;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.MovableClock;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * On S3 storage, users' uploads go straight to the bucket through presigned URLs, in parts when large,
 * and resume with the parts the bucket already holds; the server signs, checks and records, and
 * streams none of the bytes. Parts of 5 MiB (S3's smallest) keep the files small.
 */
@Tag("e2e")
class DirectUploadsEndToEndTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();
    private static final int PART = 5 * 1024 * 1024;
    private static final HttpClient http = HttpClient.newHttpClient();

    private static String bucket;
    private static TestServer server;

    @BeforeAll
    static void start() {
        bucket = s3.newBucket();
        server = s3.server(bucket, S3Server.SECRET_KEY).property("escadrille.uploads.part-size", "5MB").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLargeFileGoesToTheBucketInPartsAndTheServerStreamsNoneOfIt() throws Exception {
        var admin = server.admin();
        var meter = server.bean(TransferMeter.class);
        double received = meter.received();
        byte[] content = random(2 * PART + 1234, 1);

        JsonNode ticket = begin(admin, "big/data.bin", content.length);
        assertThat(ticket.path("partCount").asInt()).isEqualTo(3);
        for (int n = 1; n <= 3; n++) {
            putPart(admin, ticket, n, content);
        }
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("gateway/users/admin/big/")).uploads())
                .extracting(u -> u.key()).as("the parts go to the file's own key")
                .containsExactly("gateway/users/admin/big/data.bin");
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("gateway/uploads/")).uploads())
                .as("not to a staging key").isEmpty();
        var completed = admin.post("/api/v1/uploads/" + ticket.path("id").asString() + "/complete",
                "{\"sha256\": \"" + Sha256.of(content) + "\", \"crc32c\": \"" + crc32c(content) + "\"}");

        assertThat(completed.status()).as(completed.body()).isEqualTo(201);
        assertThat(completed.json().path("sha256").asString()).isEqualTo(Sha256.of(content));
        assertThat(completed.json().path("crc32c").asString()).isEqualTo(crc32c(content));
        assertThat(meter.received()).as("bytes received by the server's endpoints").isEqualTo(received);
        var head = s3.client().headObject(b -> b.bucket(bucket).key("gateway/users/admin/big/data.bin"));
        assertThat(head.contentLength()).isEqualTo(content.length);
        assertThat(head.metadata()).as("no copy of the object onto itself to set its checksum: the record keeps it")
                .doesNotContainKey(S3Storage.SHA256_METADATA);
        var listing = admin.get("/api/v1/files?dir=big").json().path("entries").get(0);
        assertThat(listing.path("size").asLong()).isEqualTo(content.length);
        assertThat(listing.path("sha256").asString()).isEqualTo(Sha256.of(content));
        assertThat(listing.path("crc32c").asString()).as("for downloads to be checked with").isEqualTo(crc32c(content));
        assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket).prefix("gateway/uploads/")).contents())
                .as("nothing left staged").isEmpty();
    }

    @Test
    void aSmallFileIsOnePresignedPutBoundToItsChecksumAndDownloadsStraightFromTheBucket() throws Exception {
        var admin = server.admin();
        var meter = server.bean(TransferMeter.class);
        double received = meter.received();
        double sent = meter.sent();
        byte[] content = random(1000, 2);
        JsonNode ticket = begin(admin, "small.txt", content.length);
        String id = ticket.path("id").asString();
        assertThat(ticket.path("partCount").asInt()).isEqualTo(1);

        var withoutChecksum = admin.post("/api/v1/uploads/" + id + "/parts/1", "{}");
        assertThat(withoutChecksum.status()).isEqualTo(400);
        assertThat(withoutChecksum.body()).contains("SHA-256");
        var url = admin.post("/api/v1/uploads/" + id + "/parts/1", "{\"sha256\": \"" + Sha256.of(content) + "\"}").json();
        byte[] other = random(1000, 3);
        assertThat(put(url, other)).as("bytes other than those signed for").isGreaterThanOrEqualTo(400);
        assertThat(put(url, content)).isEqualTo(200);
        assertThat(admin.post("/api/v1/uploads/" + id + "/complete", "{\"sha256\": \"" + Sha256.of(content)
                + "\", \"crc32c\": \"" + crc32c(content) + "\"}").status()).isEqualTo(201);

        var download = admin.get("/api/v1/downloads/small.txt").json();
        assertThat(download.path("sha256").asString()).isEqualTo(Sha256.of(content));
        assertThat(download.path("crc32c").asString()).isEqualTo(crc32c(content));
        var fetched = http.send(HttpRequest.newBuilder(URI.create(download.path("url").asString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.body()).isEqualTo(content);
        assertThat(meter.received()).isEqualTo(received);
        assertThat(meter.sent()).isEqualTo(sent);
    }

    @Test
    void anInterruptedUploadResumesWithThePartsTheBucketHolds() throws Exception {
        var admin = server.admin();
        byte[] content = random(3 * PART, 4);
        JsonNode first = begin(admin, "resumed.bin", content.length);
        putPart(admin, first, 1, content);
        putPart(admin, first, 3, content);

        var early = admin.post("/api/v1/uploads/" + first.path("id").asString() + "/complete",
                "{\"sha256\": \"" + Sha256.of(content) + "\"}");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.body()).contains("parts [2] of 3 are missing");

        JsonNode again = begin(admin, "resumed.bin", content.length);
        assertThat(again.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(again.path("uploadedParts").valueStream().map(JsonNode::asInt).toList()).containsExactly(1, 3);
        putPart(admin, again, 2, content);
        var completed = admin.post("/api/v1/uploads/" + again.path("id").asString() + "/complete",
                "{\"sha256\": \"" + Sha256.of(content) + "\"}");
        assertThat(completed.status()).as(completed.body()).isEqualTo(201);
        try (var in = s3.client().getObject(b -> b.bucket(bucket).key("gateway/users/admin/resumed.bin"))) {
            assertThat(Sha256.of(in.readAllBytes())).isEqualTo(Sha256.of(content));
        }
    }

    @Test
    void badRequestsAreRefusedWithWhatToFix() {
        var admin = server.admin();
        var other = server.newUser("mallory");
        JsonNode ticket = begin(admin, "mine.bin", 2L * PART);
        String id = ticket.path("id").asString();

        var outOfRange = admin.post("/api/v1/uploads/" + id + "/parts/3", "{}");
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.body()).contains("parts 1 to 2, not 3");
        assertThat(other.post("/api/v1/uploads/" + id + "/parts/1", "{}").status()).isEqualTo(404);
        assertThat(other.post("/api/v1/uploads/" + id + "/complete", "{\"sha256\": \"" + "0".repeat(64) + "\"}").status())
                .isEqualTo(404);
        assertThat(other.delete("/api/v1/uploads/" + id).status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/uploads", "{\"path\": \"../escape\", \"size\": 10}").status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/uploads", "{\"path\": \"x\"}").status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/uploads/" + id + "/complete", "{\"sha256\": \"nope\"}").status()).isEqualTo(400);
        var badCrc = admin.post("/api/v1/uploads/" + id + "/complete",
                "{\"sha256\": \"" + "0".repeat(64) + "\", \"crc32c\": \"XYZ\"}");
        assertThat(badCrc.status()).isEqualTo(400);
        assertThat(badCrc.body()).contains("8 lowercase hexadecimal digits");

        assertThat(admin.delete("/api/v1/uploads/" + id).status()).isEqualTo(204);
        assertThat(admin.post("/api/v1/uploads/" + id + "/parts/1", "{}").status()).isEqualTo(404);
    }

    @Test
    void anUploadThatWouldPassTheQuotaIsRefusedBeforeAnyByteIsSent() {
        var user = server.newUser("quoted");
        assertThat(server.admin().send("PUT", "/api/v1/users/quoted/storage-quota", "application/json",
                "{\"bytes\": 1000}".getBytes()).status()).isLessThan(300);

        var refused = user.post("/api/v1/uploads", "{\"path\": \"big.bin\", \"size\": 5000}");

        assertThat(refused.status()).isEqualTo(413);
    }

    @Test
    void anUploadLeftUnfinishedPastItsPeriodIsAbortedWithItsParts() throws Exception {
        var admin = server.admin();
        JsonNode ticket = begin(admin, "forgotten.bin", 2L * PART);
        String id = ticket.path("id").asString();
        putPart(admin, ticket, 1, random(2 * PART, 5));
        var tomorrow = new MovableClock(server.bean(Clock.class).instant().plus(Duration.ofDays(1)));
        var inAWeekAndADay = new MovableClock(server.bean(Clock.class).instant().plus(Duration.ofDays(8)));

        sweeper(tomorrow).abortAbandoned();
        assertThat(admin.post("/api/v1/uploads/" + id + "/parts/2", "{}").status()).as("within its period").isEqualTo(200);

        sweeper(inAWeekAndADay).abortAbandoned();
        assertThat(admin.post("/api/v1/uploads/" + id + "/parts/2", "{}").status()).isEqualTo(404);
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("gateway/users/admin/forgotten.bin")).uploads())
                .as("the store's upload, aborted").isEmpty();
    }

    @Test
    void aFileReplacedInPartsStaysAsItWasUntilTheUploadCompletesAndAfterAnAbort() throws Exception {
        var admin = server.admin();
        byte[] before = random(PART + 10, 6);
        upload(admin, "kept.bin", before);
        byte[] after = random(2 * PART + 20, 7);

        JsonNode aborted = begin(admin, "kept.bin", after.length);
        putPart(admin, aborted, 1, after);
        putPart(admin, aborted, 2, after);
        putPart(admin, aborted, 3, after);
        assertThat(read(admin, "kept.bin")).as("while the new version's parts are sent").isEqualTo(before);
        assertThat(admin.delete("/api/v1/uploads/" + aborted.path("id").asString()).status()).isEqualTo(204);
        assertThat(read(admin, "kept.bin")).as("after an abort").isEqualTo(before);
        assertThat(admin.get("/api/v1/downloads/kept.bin").json().path("sha256").asString()).isEqualTo(Sha256.of(before));

        upload(admin, "kept.bin", after);
        assertThat(read(admin, "kept.bin")).isEqualTo(after);
        assertThat(admin.get("/api/v1/downloads/kept.bin").json().path("sha256").asString()).isEqualTo(Sha256.of(after));
    }

    @Test
    void twoUploadsOfOnePathAtOnceBothCompleteAndTheLastCompletedWins() throws Exception {
        var admin = server.admin();
        byte[] first = random(2 * PART + 1, 8);
        byte[] second = random(2 * PART + 2, 9);
        JsonNode one = begin(admin, "raced.bin", first.length);
        JsonNode two = begin(admin, "raced.bin", second.length);
        for (int n = 1; n <= 3; n++) {
            putPart(admin, one, n, first);
            putPart(admin, two, n, second);
        }

        assertThat(complete(admin, two, second).status()).isEqualTo(201);
        assertThat(complete(admin, one, first).status()).isEqualTo(201);

        assertThat(read(admin, "raced.bin")).isEqualTo(first);
        var download = admin.get("/api/v1/downloads/raced.bin").json();
        assertThat(download.path("sha256").asString()).isEqualTo(Sha256.of(first));
        assertThat(download.path("size").asLong()).isEqualTo(first.length);
    }

    @Test
    void aResumableUploadOfANewFileIsLeftToItsSessionByTheOrphanSweeper() throws Exception {
        var admin = server.admin();
        byte[] content = random(2 * PART, 10);
        JsonNode ticket = begin(admin, "new/resumable.bin", content.length);
        putPart(admin, ticket, 1, content);
        var inTwoDays = new MovableClock(server.bean(Clock.class).instant().plus(Duration.ofDays(2)));

        var report = new OrphanSweeper(server.bean(Storage.class), List.copyOf(server.beans(StoredObjectOwner.class)),
                server.bean(EscadrilleProperties.class), inTwoDays, new SimpleMeterRegistry()).sweep();

        assertThat(report.failures()).isEmpty();
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("gateway/users/admin/new/resumable.bin"))
                .uploads()).as("past the sweeper's grace, within the session's period").hasSize(1);
        JsonNode resumed = begin(admin, "new/resumable.bin", content.length);
        assertThat(resumed.path("uploadedParts").valueStream().map(JsonNode::asInt).toList()).containsExactly(1);
        putPart(admin, resumed, 2, content);
        assertThat(complete(admin, resumed, content).status()).isEqualTo(201);
        assertThat(read(admin, "new/resumable.bin")).isEqualTo(content);
    }

    @Test
    void anUploadInPartsToAGroupsFolderGoesToTheFoldersKeyAndEndsWithTheMembership() throws Exception {
        var admin = server.admin();
        var gina = server.newUser("gina");
        assertThat(admin.post("/api/v1/groups", "{\"name\": \"lab\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/groups/lab/members", "{\"username\": \"gina\"}").status()).isEqualTo(200);
        byte[] content = random(2 * PART + 5, 12);

        JsonNode ticket = begin(gina, "groups/lab/run.bin", content.length);
        for (int n = 1; n <= 3; n++) {
            putPart(gina, ticket, n, content);
        }
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("gateway/groups/lab/")).uploads())
                .extracting(u -> u.key()).containsExactly("gateway/groups/lab/run.bin");
        assertThat(complete(gina, ticket, content).status()).isEqualTo(201);
        assertThat(gina.get("/api/v1/downloads/groups/lab/run.bin").json().path("sha256").asString())
                .isEqualTo(Sha256.of(content));

        JsonNode late = begin(gina, "groups/lab/late.bin", content.length);
        for (int n = 1; n <= 3; n++) {
            putPart(gina, late, n, content);
        }
        assertThat(admin.delete("/api/v1/groups/lab/members/gina").status()).isLessThan(300);
        assertThat(complete(gina, late, content).status()).as("no longer a member").isEqualTo(404);
        assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket).prefix("gateway/groups/lab/late.bin")).contents()).isEmpty();
        assertThat(gina.delete("/api/v1/uploads/" + late.path("id").asString()).status()).as("hers to abort").isEqualTo(204);
        assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket).prefix("gateway/groups/lab/")).uploads()).isEmpty();
    }

    @Test
    void aCompletionTheStoreRefusesPutsTheRecordBackAsItWas() throws Exception {
        var admin = server.admin();
        byte[] content = random(1000, 11);
        upload(admin, "recorded.txt", content);
        var files = server.bean(UserFiles.class);
        var account = server.bean(AccountService.class).findByUsername("admin").orElseThrow();

        assertThatThrownBy(() -> files.recordAndWrite(account, UserPath.of("recorded.txt"), 5, "0".repeat(64), null,
                "users/admin/recorded.txt", () -> {
                    throw new IOException("the store refused");
                })).hasMessageContaining("refused");
        assertThatThrownBy(() -> files.recordAndWrite(account, UserPath.of("fresh.txt"), 5, "0".repeat(64), null,
                "users/admin/fresh.txt", () -> {
                    throw new IOException("the store refused");
                })).hasMessageContaining("refused");

        var download = admin.get("/api/v1/downloads/recorded.txt").json();
        assertThat(download.path("sha256").asString()).isEqualTo(Sha256.of(content));
        assertThat(download.path("size").asLong()).isEqualTo(content.length);
        assertThat(server.bean(StoredFileRepository.class).find(account.id(), "fresh.txt")).isEmpty();
    }

    private static UserUploads sweeper(MovableClock clock) {
        return new UserUploads(server.bean(Storage.class), server.bean(UserFiles.class),
                server.bean(UploadSessionRepository.class), clock, PART, Duration.ofMinutes(5), Duration.ofDays(7));
    }

    /** A whole upload: a single PUT, or every part in turn. */
    private static void upload(ApiClient client, String path, byte[] content) throws Exception {
        JsonNode ticket = begin(client, path, content.length);
        if (ticket.path("partCount").asInt() == 1) {
            var url = client.post("/api/v1/uploads/" + ticket.path("id").asString() + "/parts/1",
                    "{\"sha256\": \"" + Sha256.of(content) + "\"}").json();
            assertThat(put(url, content)).isEqualTo(200);
        } else {
            for (int n = 1; n <= ticket.path("partCount").asInt(); n++) {
                putPart(client, ticket, n, content);
            }
        }
        var completed = complete(client, ticket, content);
        assertThat(completed.status()).as(completed.body()).isEqualTo(201);
    }

    private static String crc32c(byte[] content) {
        var crc = new CRC32C();
        crc.update(content);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    private static ApiClient.Response complete(ApiClient client, JsonNode ticket, byte[] content) {
        return client.post("/api/v1/uploads/" + ticket.path("id").asString() + "/complete",
                "{\"sha256\": \"" + Sha256.of(content) + "\"}");
    }

    /** The file as the store holds it at its path now. */
    private static byte[] read(ApiClient client, String path) throws IOException {
        try (var in = s3.client().getObject(b -> b.bucket(bucket).key("gateway/users/admin/" + path))) {
            return in.readAllBytes();
        }
    }

    private static JsonNode begin(ApiClient client, String path, long size) {
        var response = client.post("/api/v1/uploads", ApiClient.json(Map.of("path", path, "size", size)));
        assertThat(response.status()).as(response.body()).isIn(200, 201);
        assertThat(response.json().path("direct").asBoolean()).isTrue();
        return response.json();
    }

    private static void putPart(ApiClient client, JsonNode ticket, int number, byte[] content) throws Exception {
        var url = client.post("/api/v1/uploads/" + ticket.path("id").asString() + "/parts/" + number, "{}");
        assertThat(url.status()).as(url.body()).isEqualTo(200);
        int from = (number - 1) * PART;
        byte[] part = Arrays.copyOfRange(content, from, Math.min(content.length, from + PART));
        assertThat(put(url.json(), part)).isEqualTo(200);
    }

    private static int put(JsonNode url, byte[] body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url.path("url").asString()));
        url.path("headers").properties().forEach(h -> request.header(h.getKey(), h.getValue().asString()));
        return http.send(request.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
