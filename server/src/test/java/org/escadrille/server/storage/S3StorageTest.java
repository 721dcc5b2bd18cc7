package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@link S3Storage} against the storage contract, on a real S3 server (s3proxy) on loopback, a bucket per test. */
class S3StorageTest extends StorageContract {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    private static final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Storage newStorage() {
        return new S3Storage(s3.client(), s3.presigner(), s3.newBucket(), "escadrille/", S3Storage.MIN_PART_SIZE);
    }

    @Test
    void aDirectDownloadReadsTheObjectWithoutCredentials() throws Exception {
        Storage storage = newStorage();
        storage.put("in/data.txt", new ByteArrayInputStream("direct".getBytes(StandardCharsets.UTF_8)));

        URI url = storage.directDownload("in/data.txt", Duration.ofMinutes(1)).orElseThrow();
        var response = http.send(HttpRequest.newBuilder(url).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("direct");
    }

    @Test
    void aDirectDownloadUrlDiesAfterItsLifetime() throws Exception {
        Storage storage = newStorage();
        storage.put("short.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));

        URI url = storage.directDownload("short.txt", Duration.ofSeconds(1)).orElseThrow();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> http.send(HttpRequest.newBuilder(url).build(), BodyHandlers.discarding()).statusCode() == 403);
    }

    @Test
    void aDirectUploadStoresTheAnnouncedContentWithItsChecksum() throws Exception {
        Storage storage = newStorage();
        byte[] content = "an output, straight to the bucket\n".getBytes(StandardCharsets.UTF_8);
        String sha256 = Sha256.of(content);

        var upload = storage.directUpload("staging/a1/out.txt", content.length, sha256, Duration.ofMinutes(1)).orElseThrow();
        int status = put(upload, content);

        assertThat(status).isEqualTo(200);
        assertThat(storage.stat("staging/a1/out.txt")).hasValueSatisfying(stat -> {
            assertThat(stat.size()).isEqualTo(content.length);
            assertThat(stat.sha256()).isEqualTo(sha256);
        });
    }

    @Test
    void aDirectUploadOfOtherBytesIsRefusedAndKeepsThePreviousObject() throws Exception {
        Storage storage = newStorage();
        storage.put("out.txt", new ByteArrayInputStream("previous".getBytes(StandardCharsets.UTF_8)));
        byte[] announced = "announced".getBytes(StandardCharsets.UTF_8);
        byte[] forged = "forged!!!".getBytes(StandardCharsets.UTF_8);

        var upload = storage.directUpload("out.txt", announced.length, Sha256.of(announced), Duration.ofMinutes(1)).orElseThrow();
        int status = put(upload, forged);

        assertThat(status).isBetween(400, 499);
        try (var in = storage.get("out.txt")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("previous");
        }
    }

    @Test
    void aDirectUploadOfAnotherLengthIsRefused() throws Exception {
        Storage storage = newStorage();
        byte[] announced = "announced".getBytes(StandardCharsets.UTF_8);

        var upload = storage.directUpload("out.txt", announced.length, Sha256.of(announced), Duration.ofMinutes(1)).orElseThrow();
        int status = put(upload, "longer than announced".getBytes(StandardCharsets.UTF_8));

        assertThat(status).isBetween(400, 499);
        assertThat(storage.stat("out.txt")).isEmpty();
    }

    private static int put(Storage.DirectUpload upload, byte[] body) throws Exception {
        var request = HttpRequest.newBuilder(upload.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        upload.headers().forEach(request::header);
        return http.send(request.build(), BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aStreamLongerThanAPartIsUploadedInPartsWithItsChecksumAsMetadata() throws IOException {
        Storage storage = newStorage();
        long size = 2L * S3Storage.MIN_PART_SIZE + 12_345;

        var info = storage.put("big/random.bin", new RandomBytes(size, 7));

        String expected = Sha256.hex(readAll(new RandomBytes(size, 7)));
        assertThat(info.size()).isEqualTo(size);
        assertThat(info.sha256()).isEqualTo(expected);
        assertThat(storage.stat("big/random.bin")).hasValueSatisfying(stat -> {
            assertThat(stat.size()).isEqualTo(size);
            assertThat(stat.sha256()).isEqualTo(expected);
        });
        try (var in = new DigestInputStream(storage.get("big/random.bin"), Sha256.digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            assertThat(Sha256.hex(in.getMessageDigest())).isEqualTo(expected);
        }
    }

    @Test
    void aStreamOfExactlyOnePartIsWhole() throws IOException {
        Storage storage = newStorage();

        var info = storage.put("exact.bin", new RandomBytes(S3Storage.MIN_PART_SIZE, 3));

        assertThat(info.size()).isEqualTo(S3Storage.MIN_PART_SIZE);
        assertThat(storage.stat("exact.bin")).hasValueSatisfying(stat -> assertThat(stat.size()).isEqualTo(S3Storage.MIN_PART_SIZE));
    }

    @Test
    void theStorageKeepsToItsPrefixInTheBucket() throws IOException {
        String bucket = s3.newBucket();
        s3.client().putObject(b -> b.bucket(bucket).key("someone-else/x"), RequestBody.fromString("x"));
        Storage storage = new S3Storage(s3.client(), null, bucket, "/ours/", S3Storage.MIN_PART_SIZE);

        storage.put("a.txt", new ByteArrayInputStream("a".getBytes(StandardCharsets.UTF_8)));

        assertThat(storage.list("")).extracting(Storage.Entry::key).containsExactly("a.txt");
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key("ours/a.txt")).contentLength()).isEqualTo(1);
    }

    private static MessageDigest readAll(InputStream in) throws IOException {
        try (var digesting = new DigestInputStream(in, Sha256.digest())) {
            digesting.transferTo(OutputStream.nullOutputStream());
            return digesting.getMessageDigest();
        }
    }

    /** {@code size} bytes that vary with their position, made as they are read: a big stream that takes no memory. */
    private static final class RandomBytes extends InputStream {
        private final long seed;
        private final long size;
        private long position;

        RandomBytes(long size, long seed) {
            this.size = size;
            this.seed = seed;
        }

        @Override
        public int read() {
            return position < size ? next() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = next();
            }
            return n;
        }

        private byte next() {
            long x = (position++ + seed) * 0x9E3779B97F4A7C15L;
            return (byte) (x >>> 29);
        }
    }
}
