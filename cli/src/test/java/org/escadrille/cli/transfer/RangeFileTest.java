package org.escadrille.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file a download in ranges writes: ranges written at once from several threads, in pieces of any size and in
 * any order, make the file, past the page cache (on this machine's disk) or through it; the last range may end
 * anywhere, and a range needs not fill the blocks it gathers.
 */
class RangeFileTest {
    @TempDir
    Path dir;

    @Test
    void thePageCacheIsBypassedOnlyOnALocalDisksFileSystemWithRangesOnItsBlocks() throws IOException {
        String type = Files.getFileStore(dir).type();
        assumeTrue(Set.of("ext4", "xfs").contains(type), "the temporary directory is on " + type + ", not on ext4 or XFS");

        try (RangeFile file = RangeFile.open(dir.resolve("f.part"), 1 << 16, true)) {
            assertThat(file.bypassesCache()).isTrue();
        }
        try (RangeFile file = RangeFile.open(dir.resolve("g.part"), 1 << 16, false)) {
            assertThat(file.bypassesCache()).as("when asked not to").isFalse();
        }
        try (RangeFile file = RangeFile.open(dir.resolve("h.part"), 1000, true)) {
            assertThat(file.bypassesCache()).as("ranges that do not start on the disk's blocks").isFalse();
        }
    }

    @ParameterizedTest(name = "past the page cache: {0}")
    @ValueSource(booleans = {true, false})
    void rangesWrittenAtOnceInPiecesOfAnySizeMakeTheFile(boolean bypassCache) throws Exception {
        // Ranges larger than the gathered blocks, and a last range that ends in the middle of a block.
        int rangeBytes = RangeFile.STAGING + 4096 * 3;
        int size = rangeBytes * 3 + 12_345;
        byte[] content = new byte[size];
        new Random(11).nextBytes(content);
        Path part = Files.write(dir.resolve("f.part"), new byte[size * 2]);
        List<Integer> ranges = new ArrayList<>(IntStream.range(0, (size + rangeBytes - 1) / rangeBytes).boxed().toList());
        Collections.shuffle(ranges, new Random(3));

        try (RangeFile file = RangeFile.open(part, rangeBytes, bypassCache); var pool = Executors.newFixedThreadPool(3)) {
            var written = new ArrayList<Future<?>>();
            for (int range : ranges) {
                written.add(pool.submit(() -> writeRange(file, content, range, rangeBytes)));
            }
            for (Future<?> each : written) {
                each.get();
            }
        }

        assertThat(part).as("truncated when opened, then every byte in its place").hasBinaryContent(content);
    }

    @Test
    void aFileShorterThanABlockIsWrittenWhole() throws IOException {
        byte[] content = "a file of a few bytes".getBytes();
        Path part = dir.resolve("small.part");

        try (RangeFile file = RangeFile.open(part, 1 << 20, true)) {
            RangeFile.Range range = file.range(0);
            range.write(ByteBuffer.wrap(content));
            range.finish();
        }

        assertThat(part).hasBinaryContent(content);
    }

    /** One range, in pieces of 1 byte to 300 KiB, some of them read-only slices as the HTTP client hands them over. */
    private static void writeRange(RangeFile file, byte[] content, int range, int rangeBytes) {
        var random = new Random(range);
        int start = range * rangeBytes;
        int end = Math.min(content.length, start + rangeBytes);
        RangeFile.Range writer = file.range(start);
        try {
            for (int at = start; at < end; ) {
                int piece = Math.min(end - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 300 * 1024));
                ByteBuffer bytes = ByteBuffer.wrap(content, at, piece);
                writer.write(random.nextBoolean() ? bytes.asReadOnlyBuffer() : bytes);
                at += piece;
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
