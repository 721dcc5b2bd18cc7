package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escadrille files put} against a server whose storage takes uploads straight (S3): the file goes
 * in parts to the URLs the server signs, never through the server, and a second run after an upload cut
 * short sends only the parts the storage does not hold. {@link FakeGateway} plays both the server and the
 * bucket; {@code DirectUploadsEndToEndTest} (server module) checks the server's side against a real S3.
 */
class DirectUploadCommandTest {
    private static final int PART = 1000;

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway(true);

    private final Map<Integer, byte[]> bucket = new ConcurrentSkipListMap<>();
    private final Set<Integer> failing = new ConcurrentSkipListSet<>();
    /** Runs in the bucket's handler once a part's body has arrived, before it is kept. */
    private volatile Consumer<Integer> onPart = number -> { };
    private volatile String completedSha;

    @Test
    void putSendsTheFileInPartsStraightToTheStorageAndReportsItsChecksum() throws Exception {
        byte[] content = random(4 * PART + 500);
        Files.write(dir.resolve("big.bin"), content);
        fakeDirectStorage(content.length);

        CliRunner.Result result = run("files", "put", "big.bin", "data/");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("PUT", "/bucket/")).hasSize(5)
                .allSatisfy(put -> assertThat(put.apiKey()).as("the API key never goes to the storage").isNull());
        assertThat(gateway.requests("PUT", "/api/v1/files/")).as("nothing through the server").isEmpty();
        assertThat(joined()).isEqualTo(content);
        assertThat(completedSha).isEqualTo(Sha256.of(content));
        assertThat(gateway.requests("POST", "/api/v1/uploads/u1/complete").getFirst().bodyText())
                .as("the whole file's CRC32C, for downloads to be checked with").contains("\"crc32c\":\"" + crc32c(content) + "\"");
        assertThat(gateway.requests("POST", "/api/v1/uploads").getFirst().bodyText())
                .contains("\"path\":\"data/big.bin\"").contains("\"size\":" + content.length);
        assertThat(result.out()).startsWith("Stored data/big.bin");
    }

    @Test
    void putRunAgainAfterAnInterruptionSendsOnlyThePartsTheStorageLacks() throws Exception {
        byte[] content = random(4 * PART + 500);
        Files.write(dir.resolve("big.bin"), content);
        fakeDirectStorage(content.length);
        failing.add(3);

        CliRunner.Result cut = runWith(Map.of("ESCADRILLE_PARTS_IN_FLIGHT", "1"), "files", "put", "big.bin");

        assertThat(cut.exitCode()).isNotZero();
        assertThat(cut.err()).contains("part 3");
        assertThat(bucket.keySet()).containsExactly(1, 2);
        assertThat(completedSha).isNull();

        failing.clear();
        int putsBefore = gateway.requests("PUT", "/bucket/").size();
        CliRunner.Result resumed = runWith(Map.of("ESCADRILLE_PARTS_IN_FLIGHT", "1"), "files", "put", "big.bin");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(gateway.requests("PUT", "/bucket/").subList(putsBefore, gateway.requests("PUT", "/bucket/").size()))
                .extracting(FakeGateway.Recorded::path).containsExactly("/bucket/3", "/bucket/4", "/bucket/5");
        assertThat(joined()).isEqualTo(content);
        assertThat(completedSha).as("hashed whole, the parts already held read again").isEqualTo(Sha256.of(content));
    }

    @Test
    void partsGoSeveralAtOnceNeverMoreThanAskedAndArriveWholeWithTheFileChecksum() throws Exception {
        byte[] content = random(6 * PART + 123);
        Files.write(dir.resolve("big.bin"), content);
        fakeDirectStorage(content.length);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        CountDownLatch threeMet = new CountDownLatch(3);
        onPart = number -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            threeMet.countDown();
            try {
                // Parts sent one after the other never meet here: the first waits alone until the timeout.
                threeMet.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
        };

        CliRunner.Result result = runWith(Map.of("ESCADRILLE_PARTS_IN_FLIGHT", "3"), "files", "put", "big.bin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(mostInFlight).as("parts in flight at once").hasValue(3);
        assertThat(bucket.keySet()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(joined()).isEqualTo(content);
        assertThat(completedSha).isEqualTo(Sha256.of(content));
    }

    @Test
    void aFailedPartAmongSeveralInFlightFailsTheUploadAndTheRunAgainSendsOnlyWhatIsMissing() throws Exception {
        byte[] content = random(8 * PART + 1);
        Files.write(dir.resolve("big.bin"), content);
        fakeDirectStorage(content.length);
        failing.add(3);

        CliRunner.Result cut = run("files", "put", "big.bin");

        assertThat(cut.exitCode()).isNotZero();
        assertThat(cut.err()).contains("part 3");
        assertThat(bucket.keySet()).doesNotContain(3);
        assertThat(completedSha).isNull();

        failing.clear();
        Set<Integer> heldBefore = Set.copyOf(bucket.keySet());
        int putsBefore = gateway.requests("PUT", "/bucket/").size();
        CliRunner.Result resumed = run("files", "put", "big.bin");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        List<FakeGateway.Recorded> puts = gateway.requests("PUT", "/bucket/");
        assertThat(puts.subList(putsBefore, puts.size())).extracting(put -> Integer.parseInt(put.path().substring(8)))
                .doesNotContainAnyElementsOf(heldBefore).contains(3).hasSize(9 - heldBefore.size());
        assertThat(joined()).isEqualTo(content);
        assertThat(completedSha).as("hashed whole, the parts already held read again").isEqualTo(Sha256.of(content));
    }

    @Test
    void aFileChangedDuringTheUploadIsNeverRecordedWithTheChecksumOfOtherBytes() throws Exception {
        byte[] content = random(5 * PART);
        Path file = dir.resolve("big.bin");
        Files.write(file, content);
        fakeDirectStorage(content.length);
        byte[] changed = random(5 * PART + 7);
        onPart = number -> {
            if (number == 1) {
                try {
                    // Rewritten in place, never shorter: other bytes, the same length.
                    Files.write(file, Arrays.copyOf(changed, content.length), StandardOpenOption.WRITE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };

        CliRunner.Result result = runWith(Map.of("ESCADRILLE_PARTS_IN_FLIGHT", "1"), "files", "put", "big.bin");

        if (result.exitCode() == 0) {
            assertThat(completedSha).as("a success is of the bytes stored").isEqualTo(Sha256.of(joined()));
        } else {
            assertThat(result.err()).contains("changed during the upload");
            assertThat(completedSha).isNull();
        }
    }

    @Test
    void partsInFlightOutOfRangeIsAUsageErrorThatSaysWhatToWrite() throws Exception {
        Files.write(dir.resolve("big.bin"), random(10));
        fakeDirectStorage(10);

        CliRunner.Result result = runWith(Map.of("ESCADRILLE_PARTS_IN_FLIGHT", "0"), "files", "put", "big.bin");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("ESCADRILLE_PARTS_IN_FLIGHT must be a whole number from 1 to");
        assertThat(gateway.requests("POST", "/api/v1/uploads")).isEmpty();
    }

    @Test
    void aSmallFileIsOnePutBoundToItsChecksum() throws Exception {
        byte[] content = random(300);
        Files.write(dir.resolve("small.bin"), content);
        fakeDirectStorage(content.length);

        CliRunner.Result result = run("files", "put", "small.bin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("POST", "/api/v1/uploads/u1/parts/1").getFirst().bodyText()).contains(Sha256.of(content));
        assertThat(joined()).isEqualTo(content);
    }

    @Test
    void aServerThatTakesUploadsThroughItselfGetsTheFileAsBefore() throws Exception {
        Files.writeString(dir.resolve("local.txt"), "some data\n");
        gateway.on("POST", "/api/v1/uploads", FakeGateway.json(200, "{\"direct\": false}"));
        gateway.on("PUT", "/api/v1/files/*", FakeGateway.json(201, """
                {"path": "local.txt", "name": "local.txt", "size": 10, "sha256": "%s"}""".formatted(Sha256.of("some data\n"))));

        CliRunner.Result result = run("files", "put", "local.txt");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("PUT", "/api/v1/files/")).hasSize(1);
    }

    @Test
    void getReadsTheFileStraightFromTheStorageWhenTheServerHandsOutItsUrl() {
        byte[] content = random(2500);
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "out", "entries": [{"name": "r.bin", "path": "out/r.bin", "directory": false, "size": 2500,
                 "sha256": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted(Sha256.of(content))));
        gateway.on("GET", "/api/v1/downloads/out/r.bin", FakeGateway.json(200, """
                {"path": "out/r.bin", "size": 2500, "sha256": "%s", "url": "%s/bucket/r.bin?signed=1"}"""
                .formatted(Sha256.of(content), gateway.url())));
        gateway.on("GET", "/bucket/r.bin", FakeGateway.bytes(content));

        CliRunner.Result result = run("files", "get", "out/r.bin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dir.resolve("r.bin")).hasBinaryContent(content);
        assertThat(gateway.requests("GET", "/api/v1/files/")).as("nothing through the server").isEmpty();
        assertThat(gateway.requests("GET", "/bucket/")).singleElement()
                .satisfies(get -> assertThat(get.apiKey()).as("the API key never goes to the storage").isNull());
    }

    @Test
    void getFromTheStorageChecksTheCrc32cListedWithTheFile() {
        byte[] content = random(2500);
        listAndSignDirect(content, crc32c(content));

        CliRunner.Result result = run("files", "get", "out/r.bin");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dir.resolve("r.bin")).hasBinaryContent(content);
        assertThat(result.out()).contains("CRC32C checked");
    }

    @Test
    void getFromTheStorageRefusesBytesThatDoNotMatchTheListedCrc32cAndKeepsNothing() {
        byte[] content = random(2500);
        // The SHA-256 would pass: only the CRC32C check can refuse these bytes.
        listAndSignDirect(content, "0badf00d");

        CliRunner.Result result = run("files", "get", "out/r.bin");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("CRC32C");
        assertThat(dir.resolve("r.bin")).doesNotExist();
        assertThat(dir.resolve("r.bin.part")).doesNotExist();
    }

    /** A file listed with its SHA-256 and {@code crc32c}, served by the bucket at a URL the server signs. */
    private void listAndSignDirect(byte[] content, String crc32c) {
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "out", "entries": [{"name": "r.bin", "path": "out/r.bin", "directory": false, "size": 2500,
                 "sha256": "%s", "crc32c": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted(Sha256.of(content), crc32c)));
        gateway.on("GET", "/api/v1/downloads/out/r.bin", FakeGateway.json(200, """
                {"path": "out/r.bin", "size": 2500, "sha256": "%s", "url": "%s/bucket/r.bin?signed=1"}"""
                .formatted(Sha256.of(content), gateway.url())));
        gateway.on("GET", "/bucket/r.bin", FakeGateway.bytes(content));
    }

    private static String crc32c(byte[] content) {
        var crc = new CRC32C();
        crc.update(content);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    /** The server's upload endpoints, and a bucket at {@code /bucket/<part>} that keeps what it is sent. */
    private void fakeDirectStorage(long size) {
        int parts = (int) Math.max(1, (size + PART - 1) / PART);
        gateway.on("POST", "/api/v1/uploads", request -> FakeGateway.json(bucket.isEmpty() ? 201 : 200, """
                {"direct": true, "id": "u1", "path": "p", "size": %d, "partSize": %d, "partCount": %d, "uploadedParts": [%s]}"""
                .formatted(size, PART, parts, bucket.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")))));
        gateway.on("POST", "/api/v1/uploads/u1/parts/*", request -> {
            int number = Integer.parseInt(request.path().substring(request.path().lastIndexOf('/') + 1));
            return FakeGateway.json(200, """
                    {"number": %d, "size": %d, "url": "%s/bucket/%d", "headers": {"x-amz-meta-test": "yes"}}"""
                    .formatted(number, Math.min(PART, size - (number - 1L) * PART), gateway.url(), number));
        });
        gateway.on("PUT", "/bucket/*", request -> {
            int number = Integer.parseInt(request.path().substring("/bucket/".length()));
            if (failing.contains(number)) {
                return FakeGateway.problem(500, "{}");
            }
            onPart.accept(number);
            bucket.put(number, request.body());
            return FakeGateway.json(200, "{}");
        });
        gateway.on("POST", "/api/v1/uploads/u1/complete", request -> {
            completedSha = request.bodyText().replaceAll(".*\"sha256\"\\s*:\\s*\"([0-9a-f]+)\".*", "$1");
            return FakeGateway.json(201, """
                    {"path": "data/big.bin", "name": "big.bin", "size": %d, "sha256": "%s"}""".formatted(size, completedSha));
        });
    }

    private byte[] joined() {
        return bucket.values().stream().reduce(new byte[0], (a, b) -> {
            byte[] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return all;
        });
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private CliRunner.Result run(String... args) {
        return runWith(Map.of(), args);
    }

    private CliRunner.Result runWith(Map<String, String> variables, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--url";
        all[args.length + 1] = gateway.url().toString();
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, variables), all);
    }
}
