package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Debian tools shipped as built-in applications ({@code gzip}, {@code sha256sum}, ImageMagick's
 * {@code convert}) run through a real pilot on an uploaded file, and their outputs come back right:
 * decompressed, recomputed, decoded here.
 */
@Tag("e2e")
class DebianToolsEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).start();
        alice = Researcher.of(server, "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void gzipCompressesAFileIntoTheInputsNameWithGz() throws IOException {
        // given a text file in alice's space
        byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(2_000).getBytes(StandardCharsets.UTF_8);
        alice.upload("inbox/notes.txt", text);

        // when she compresses it at the best level
        String id = alice.launch(Map.of("app", "gzip", "inputs", Map.of("input", "inbox/notes.txt", "level", 9)));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        // then notes.txt.gz is in the execution's folder, smaller, and decompresses to the original
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode output = execution.path("outputs").get(0);
        assertThat(output.path("path").asString()).isEqualTo(execution.path("outputDir").asString() + "/notes.txt.gz");
        byte[] compressed = alice.download(output.path("path").asString());
        assertThat(compressed.length).isLessThan(text.length / 10);
        assertThat(output.path("sha256").asString()).isEqualTo(Sha256.of(compressed));
        try (var in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
        assertThat(alice.tasks(id).get(0).path("commandLine").asString())
                .isEqualTo("gzip --keep --no-name -9 notes.txt");
    }

    @Test
    void sha256sumWritesTheChecksumJavaComputes() {
        // given a binary file
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        alice.upload("inbox/sample.bin", data);

        // when she checksums it
        String id = alice.launch(Map.of("app", "sha256sum", "inputs", Map.of("input", "inbox/sample.bin")));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        // then sample.bin.sha256 holds sha256sum's line: the digest, two spaces, the name
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        String path = execution.path("outputs").get(0).path("path").asString();
        assertThat(path).isEqualTo(execution.path("outputDir").asString() + "/sample.bin.sha256");
        assertThat(new String(alice.download(path), StandardCharsets.UTF_8)).isEqualTo(Sha256.of(data) + "  sample.bin\n");
    }

    @Test
    void imagemagickResizesAnImageToHalfItsSize() throws IOException {
        assumeTrue(imageMagickInstalled(), "ImageMagick's convert is not installed here (Debian: apt-get install imagemagick)");
        // given a 64x48 PNG
        var image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 48; y++) {
                image.setRGB(x, y, x < 32 ? 0xff0000 : 0x0000ff);
            }
        }
        var png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        alice.upload("photos/flag.png", png.toByteArray());

        // when she resizes it with the default geometry (50%)
        String id = alice.launch(Map.of("app", "imagemagick-resize", "inputs", Map.of("input", "photos/flag.png")));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        // then flag_resized.png is a 32x24 PNG, red on the left and blue on the right
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        String path = execution.path("outputs").get(0).path("path").asString();
        assertThat(path).isEqualTo(execution.path("outputDir").asString() + "/flag_resized.png");
        BufferedImage resized = ImageIO.read(new ByteArrayInputStream(alice.download(path)));
        assertThat(resized.getWidth()).isEqualTo(32);
        assertThat(resized.getHeight()).isEqualTo(24);
        assertThat(resized.getRGB(2, 12) & 0xffffff).isEqualTo(0xff0000);
        assertThat(resized.getRGB(29, 12) & 0xffffff).isEqualTo(0x0000ff);
    }

    /** The real ImageMagick answers {@code convert -version} with its name; a missing one does not. */
    private static boolean imageMagickInstalled() {
        try {
            Process process = new ProcessBuilder("convert", "-version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 && out.contains("Version: ImageMagick");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
