package org.escadrille.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Two pieces' CRC32Cs combined are the CRC32C of the pieces end to end, as the JDK computes it. */
class Crc32cCombineTest {
    private final Random random = new Random(20261207);

    @Test
    void twoPiecesCombineIntoTheCrcOfTheWholeWhereverTheySplit() {
        for (int trial = 0; trial < 500; trial++) {
            byte[] bytes = new byte[random.nextInt(5000)];
            random.nextBytes(bytes);
            int split = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            byte[] a = Arrays.copyOfRange(bytes, 0, split);
            byte[] b = Arrays.copyOfRange(bytes, split, bytes.length);

            assertThat(Crc32cCombine.combine(crc(a), crc(b), b.length)).as("%d bytes split at %d", bytes.length, split)
                    .isEqualTo(crc(bytes));
        }
    }

    @Test
    void manyRangesCombineInOrder() {
        byte[] bytes = new byte[100_003];
        random.nextBytes(bytes);
        int combined = crc(new byte[0]);
        for (int start = 0; start < bytes.length; start += 4096) {
            byte[] range = Arrays.copyOfRange(bytes, start, Math.min(bytes.length, start + 4096));
            combined = Crc32cCombine.combine(combined, crc(range), range.length);
        }

        assertThat(combined).isEqualTo(crc(bytes));
    }

    @Test
    void piecesOfMoreThanFourGibibytesCombineAsTheJdkComputesThem() {
        // 5 GiB of zeros and a few bytes after: lengths past 2^32 bits, computed for real (CRC32C is about 60 GB/s).
        var zeros = ByteBuffer.allocateDirect(64 * 1024 * 1024);
        long length = 5L * 1024 * 1024 * 1024;
        var whole = new CRC32C();
        var first = new CRC32C();
        for (long done = 0; done < length; done += zeros.capacity()) {
            whole.update(zeros.clear());
            first.update(zeros.clear());
        }
        byte[] tail = {1, 2, 3, 4, 5};
        whole.update(tail);

        assertThat(Crc32cCombine.combine((int) first.getValue(), crc(tail), tail.length)).isEqualTo((int) whole.getValue());
        assertThat(Crc32cCombine.combine(crc(tail), (int) first.getValue(), length))
                .isEqualTo(crcOf(tail, length));
    }

    @Test
    void combiningIsAssociativeForAnyLength() {
        for (int trial = 0; trial < 200; trial++) {
            int a = random.nextInt();
            int b = random.nextInt();
            int c = random.nextInt();
            long lengthB = random.nextLong(Long.MAX_VALUE / 2);
            long lengthC = random.nextLong(Long.MAX_VALUE / 2);

            assertThat(Crc32cCombine.combine(Crc32cCombine.combine(a, b, lengthB), c, lengthC))
                    .isEqualTo(Crc32cCombine.combine(a, Crc32cCombine.combine(b, c, lengthC), lengthB + lengthC));
        }
    }

    @Test
    void anEmptySecondPieceLeavesTheFirstsCrc() {
        assertThat(Crc32cCombine.combine(0x1234abcd, crc(new byte[0]), 0)).isEqualTo(0x1234abcd);
    }

    @Test
    void aNegativeLengthIsRefused() {
        assertThatThrownBy(() -> Crc32cCombine.combine(1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int crc(byte[] bytes) {
        var crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** The CRC32C of {@code head} followed by {@code zeros} zero bytes. */
    private static int crcOf(byte[] head, long zeros) {
        var crc = new CRC32C();
        crc.update(head);
        var buffer = ByteBuffer.allocateDirect(64 * 1024 * 1024);
        for (long done = 0; done < zeros; done += buffer.capacity()) {
            crc.update(buffer.clear());
        }
        return (int) crc.getValue();
    }
}
