package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stream copied into a file with its SHA-256 computed beside the copy, whatever its size against the chunks. */
class HashingCopyTest {
    private static final int FIRST = HashingCopy.FIRST_CHUNK_BYTES;
    private static final int CHUNK = HashingCopy.CHUNK_BYTES;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, FIRST - 1, FIRST, FIRST + 1, FIRST + CHUNK, FIRST + 7 * CHUNK, FIRST + 7 * CHUNK + 4095})
    void theFileHoldsTheStreamAndItsChecksumIsTheContentsOwn(int size) throws IOException {
        byte[] content = random(size);
        Path file = dir.resolve("copy");

        HashingCopy.Copied copied;
        try (var out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            copied = HashingCopy.copy(new SmallReads(new ByteArrayInputStream(content)), out);
        }

        assertThat(copied.size()).isEqualTo(size);
        assertThat(copied.sha256()).isEqualTo(Sha256.of(content));
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aStreamThatFailsAfterSeveralChunksFailsTheCopyWithItsOwnException() throws IOException {
        var refusal = new StorageQuotaExceededException("too large", new StorageUsage(0, 0));
        InputStream failing = new SmallReads(new ByteArrayInputStream(random(FIRST + 5 * CHUNK))) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                if (read > FIRST + 3 * CHUNK) {
                    throw refusal;
                }
                return n;
            }
        };

        try (var out = FileChannel.open(dir.resolve("copy"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> HashingCopy.copy(failing, out)).isSameAs(refusal);
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** At most 4 KB a read, as a request body gives them through Tomcat's socket buffer. */
    private static class SmallReads extends java.io.FilterInputStream {
        SmallReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 4096));
        }
    }
}
