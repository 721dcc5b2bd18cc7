package org.escadrille.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegionStreamTest {
    @TempDir
    Path dir;

    @Test
    void readsExactlyItsRegionIntoTheCallersBufferAndKeepsItsCrc() throws IOException {
        byte[] content = new byte[10_000];
        new Random(1).nextBytes(content);
        Path file = Files.write(dir.resolve("f"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileRegionStream first = new FileRegionStream(channel, 0, 4000);
            FileRegionStream second = new FileRegionStream(channel, 4000, 6000);

            // Interleaved, as parts sent at once read the one channel.
            byte[] a = first.readNBytes(1000);
            byte[] b = second.readAllBytes();
            byte[] rest = first.readAllBytes();

            assertThat(b).isEqualTo(Arrays.copyOfRange(content, 4000, 10_000));
            assertThat(concat(a, rest)).isEqualTo(Arrays.copyOfRange(content, 0, 4000));
            assertThat(first.read()).isEqualTo(-1);
            assertThat(first.crc32c()).isEqualTo(crc(content, 0, 4000));
            assertThat(second.crc32c()).isEqualTo(crc(content, 4000, 6000));
        }
    }

    @Test
    void aFileShorterThanItsRegionIsAnErrorNotAShortBody() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[100]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileRegionStream region = new FileRegionStream(channel, 50, 100);

            assertThatThrownBy(region::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("shorter");
        }
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
