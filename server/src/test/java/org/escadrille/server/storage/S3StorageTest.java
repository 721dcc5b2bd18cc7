package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
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

    @Override
    protected Storage newStorage() {
        return new S3Storage(s3.client(), null, s3.newBucket(), "escadrille/", S3Storage.MIN_PART_SIZE);
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
