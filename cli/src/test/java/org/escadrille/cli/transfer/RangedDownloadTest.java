package org.escadrille.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.embedded.EmbeddedServer;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A large file downloaded in ranges over several connections, against a real server on local storage (Tomcat,
 * its range answers, sendfile): the file arrives whole and checked by the CRC32C its ranges combine into, a file
 * changed on the server's disk is refused with nothing kept, and a server that ignores ranges, or stops answering
 * them midway (a JDK HTTP server: neither ours nor S3 does), still gets the file, in one piece.
 */
@Tag("e2e")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RangedDownloadTest {
    /** Small ranges, so that a file of a few MiB has several, and one shorter at its end. */
    private static final long RANGE_BYTES = 1024 * 1024;
    private static final int SIZE = 5 * 1024 * 1024 + 321;

    @TempDir
    static Path shared;
    private static EmbeddedServer server;
    private static GatewayClient client;
    private static byte[] content;

    @TempDir
    Path dir;

    @BeforeAll
    static void uploadALargeFile() throws IOException {
        server = EmbeddedServer.start(shared.resolve("data"), 1);
        client = new GatewayClient(GatewayClient.defaultHttpClient(), server.url(), server.apiKey(), JsonMapper.builder().build());
        content = new byte[SIZE];
        new Random(7).nextBytes(content);
        Path file = Files.write(shared.resolve("big.bin"), content);
        client.upload("data/big.bin", file, sent -> { });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "past the page cache: {0}")
    @ValueSource(booleans = {true, false})
    void aFileInRangesArrivesWholeAndCheckedByItsCombinedCrc32c(boolean bypassCache) throws IOException {
        JsonNode listed = listed();
        Path part = dir.resolve("big.bin.part");
        var counted = new AtomicLong();

        var result = new RangedDownload(client, RANGE_BYTES, 3, bypassCache).fetch("data/big.bin", SIZE, listed.path("sha256").asString(),
                listed.path("crc32c").asString(), part, counted::addAndGet);

        assertThat(result).as("downloaded in ranges").isPresent();
        assertThat(part).hasBinaryContent(content);
        assertThat(counted).hasValue(SIZE);
        assertThat(result.get().received().checksum()).isEqualTo(crc32c(content)).isEqualTo(listed.path("crc32c").asString());
        assertThat(result.get().check().crc32c()).isTrue();
    }

    @Test
    void theDownloaderChecksAFileFetchedInRangesBeforeItTakesItsName() throws IOException {
        JsonNode listed = listed();
        Path target = dir.resolve("got.bin");

        DownloadedFile file = downloader(client).downloadFile("data/big.bin", SIZE, listed.path("sha256").asString(),
                null, target);

        assertThat(target).hasBinaryContent(content);
        assertThat(file.checkedWith()).isEqualTo("CRC32C");
        assertThat(file.sha256()).isEqualTo(Sha256.of(content));
        assertThat(dir.resolve("got.bin.part")).doesNotExist();
    }

    @Test
    void aFileChangedOnTheServersDiskIsRefusedAndNothingIsKept() throws IOException {
        Path other = Files.write(shared.resolve("changed.bin"), content);
        client.upload("data/changed.bin", other, sent -> { });
        JsonNode listed = listed("changed.bin");
        Path stored = storedFile("changed.bin");
        byte[] changed = content.clone();
        changed[3 * (int) RANGE_BYTES + 17] ^= 1;
        Files.write(stored, changed);
        Path target = dir.resolve("changed.bin");

        assertThatThrownBy(() -> downloader(client).downloadFile("data/changed.bin", SIZE, listed.path("sha256").asString(),
                listed.path("crc32c").asString(), target))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("CRC32C").hasMessageContaining("nothing was kept");
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("changed.bin.part")).doesNotExist();
    }

    @Test
    void aServerThatIgnoresRangesStillGetsTheFileInOnePiece() throws IOException {
        var gets = new CopyOnWriteArrayList<String>();

        Path target = downloadFromAFakeServer(gets, RANGE_BYTES, range -> false);

        assertThat(target).hasBinaryContent(content);
        assertThat(gets).containsExactly("bytes=0-" + (RANGE_BYTES - 1), "null");
    }

    @Test
    void aServerThatStopsAnsweringRangesMidwayGetsTheFileInOnePieceAndNoMoreRangesAreAsked() throws IOException {
        var gets = new CopyOnWriteArrayList<String>();
        // Ranges of 64 KiB: 81 of them. Every one answered but the third, answered with the whole file.
        long small = 64 * 1024;
        String third = "bytes=" + 2 * small + "-";

        Path target = downloadFromAFakeServer(gets, small, range -> !range.startsWith(third));

        assertThat(target).hasBinaryContent(content);
        assertThat(gets.getLast()).isEqualTo("null");
        assertThat(gets).anyMatch(range -> range.startsWith(third));
        // The third is the third range asked for; the two other connections had one more each in flight when it came
        // back, and take none after (a margin for a slow machine: all 81 were asked for before they stopped).
        assertThat(gets.subList(0, gets.size() - 1)).hasSizeLessThanOrEqualTo(20);
    }

    /**
     * Downloads {@link #content} in ranges of {@code rangeBytes} from a JDK HTTP server that answers a range with a
     * {@code 206} where {@code answers} says so and with the whole file otherwise, as a store that does not do
     * ranges would; records each GET's {@code Range} header ("null" for none).
     */
    private Path downloadFromAFakeServer(List<String> gets, long rangeBytes, Predicate<String> answers) throws IOException {
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/api/v1/downloads/", exchange -> {
            byte[] problem = "{\"status\": 404, \"detail\": \"no URL: local storage\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, problem.length);
            exchange.getResponseBody().write(problem);
            exchange.close();
        });
        fake.createContext("/api/v1/files/", exchange -> {
            String range = String.valueOf(exchange.getRequestHeaders().getFirst("Range"));
            gets.add(range);
            exchange.getResponseHeaders().add("X-Escadrille-SHA256", Sha256.of(content));
            exchange.getResponseHeaders().add("X-Escadrille-CRC32C", crc32c(content));
            int from = 0;
            int to = content.length - 1;
            if (!range.equals("null") && answers.test(range)) {
                String[] bounds = range.substring("bytes=".length()).split("-");
                from = Integer.parseInt(bounds[0]);
                to = Integer.parseInt(bounds[1]);
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + content.length);
                exchange.sendResponseHeaders(206, to - from + 1);
            } else {
                exchange.sendResponseHeaders(200, content.length);
            }
            try (var body = exchange.getResponseBody()) {
                body.write(content, from, to - from + 1);
            } catch (IOException closedByTheClient) {
                // A ranged attempt closes the connection once it sees the whole file coming.
            }
            exchange.close();
        });
        fake.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        fake.start();
        try {
            var plain = new GatewayClient(GatewayClient.defaultHttpClient(),
                    URI.create("http://127.0.0.1:" + fake.getAddress().getPort()), "key", JsonMapper.builder().build());
            Path target = dir.resolve("whole.bin");
            DownloadedFile file = downloader(plain, rangeBytes).downloadFile("data/big.bin", SIZE, Sha256.of(content), null,
                    target);
            assertThat(file.checkedWith()).isEqualTo("CRC32C");
            return target;
        } finally {
            fake.stop(0);
        }
    }

    private static OutputDownloader downloader(GatewayClient client) {
        return downloader(client, RANGE_BYTES);
    }

    private static OutputDownloader downloader(GatewayClient client, long rangeBytes) {
        return new OutputDownloader(client, new ProgressBar(new PrintWriter(Writer.nullWriter()), false, Clock.systemUTC()),
                Clock.systemUTC(), rangeBytes, 3);
    }

    private static JsonNode listed() {
        return listed("big.bin");
    }

    private static JsonNode listed(String name) {
        List<JsonNode> entries = client.files("data");
        return entries.stream().filter(entry -> entry.path("name").asString().equals(name)).findFirst().orElseThrow();
    }

    /** The file the server stores for {@code name}: the one of that name and size under its data directory. */
    private static Path storedFile(String name) throws IOException {
        try (Stream<Path> files = Files.walk(shared.resolve("data"))) {
            return files.filter(path -> path.getFileName().toString().equals(name) && Files.isRegularFile(path))
                    .findFirst().orElseThrow();
        }
    }

    private static String crc32c(byte[] bytes) {
        var crc = new CRC32C();
        crc.update(bytes);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
