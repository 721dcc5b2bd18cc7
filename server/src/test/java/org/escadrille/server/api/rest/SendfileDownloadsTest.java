package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.storage.TransferMeter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * {@code GET /api/v1/files/{path}} of a file of local storage goes by Tomcat's sendfile (the kernel copies
 * the file to the socket): whole or one range, the right bytes, counted as sent. Small files and HEAD stream.
 */
@Tag("e2e")
class SendfileDownloadsTest {
    private static final byte[] CONTENT = new byte[3 * 1024 * 1024 + 17];
    private static final List<String> SENT_FILES = new CopyOnWriteArrayList<>();
    /** Requests through the witness that it has not recorded yet. */
    private static final AtomicInteger UNRECORDED = new AtomicInteger();
    private static TestServer server;
    private static ApiClient ada;
    private static final HttpClient http = HttpClient.newHttpClient();

    /**
     * Records, after each request, the file it handed to sendfile (none: an empty name); the client may have
     * its answer before the record is made, hence the waits.
     */
    static class SendfileWitness {
        @Bean
        FilterRegistrationBean<Filter> sendfileWitness() {
            Filter filter = (request, response, chain) -> {
                UNRECORDED.incrementAndGet();
                try {
                    chain.doFilter(request, response);
                    Object file = request.getAttribute(Sendfile.FILENAME);
                    SENT_FILES.add(file == null ? "" : file.toString());
                } finally {
                    UNRECORDED.decrementAndGet();
                }
            };
            return new FilterRegistrationBean<>(filter);
        }
    }

    @BeforeAll
    static void start() {
        new Random(14).nextBytes(CONTENT);
        server = TestServer.builder().pilots(false).with(SendfileWitness.class).start();
        ada = server.newUser("ada");
        assertThat(ada.put("/api/v1/files/data/big.bin", CONTENT).status()).isEqualTo(201);
        assertThat(ada.put("/api/v1/files/data/small.txt", "0123456789".getBytes()).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forget() {
        // The last request of the test before may be recorded after its client had the answer: not among ours.
        await().until(() -> UNRECORDED.get() == 0);
        SENT_FILES.clear();
    }

    @Test
    void aWholeFileGoesBySendfileWithItsLengthAndChecksum() throws Exception {
        double sentBefore = server.bean(TransferMeter.class).sent();

        var response = get("/api/v1/files/data/big.bin", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(CONTENT.length);
        assertThat(response.headers().firstValue("X-Escadrille-SHA256")).hasValue(Sha256.of(CONTENT));
        assertThat(response.body()).isEqualTo(CONTENT);
        await().untilAsserted(() -> assertThat(SENT_FILES).singleElement().asString().endsWith("big.bin"));
        assertThat(server.bean(TransferMeter.class).sent() - sentBefore).isEqualTo(CONTENT.length);
    }

    @Test
    void oneRangeGoesBySendfileAsThoseBytesOnly() throws Exception {
        double sentBefore = server.bean(TransferMeter.class).sent();

        var middle = get("/api/v1/files/data/big.bin", "bytes=100000-1300000");
        var tail = get("/api/v1/files/data/big.bin", "bytes=-70000");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100000-1300000/" + CONTENT.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 100000, 1300001));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(CONTENT, CONTENT.length - 70000, CONTENT.length));
        await().untilAsserted(() -> assertThat(SENT_FILES).hasSize(2).allSatisfy(file -> assertThat(file).endsWith("big.bin")));
        assertThat(server.bean(TransferMeter.class).sent() - sentBefore).isEqualTo(1200001 + 70000);
    }

    @Test
    void theConnectionServesTheNextRequestAfterASendfile() throws Exception {
        var first = get("/api/v1/files/data/big.bin", "bytes=0-65535");
        var second = get("/api/v1/files/data/small.txt", null);

        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(CONTENT, 0, 65536));
        assertThat(second.body()).asString().isEqualTo("0123456789");
    }

    @Test
    void smallFilesSeveralRangesAndHeadAreStreamed() throws Exception {
        double sentBefore = server.bean(TransferMeter.class).sent();

        var small = get("/api/v1/files/data/small.txt", null);
        var several = get("/api/v1/files/data/big.bin", "bytes=0-99999,200000-299999");
        var head = http.send(request("/api/v1/files/data/big.bin", null).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), BodyHandlers.ofByteArray());

        assertThat(small.body()).asString().isEqualTo("0123456789");
        assertThat(several.statusCode()).isEqualTo(206);
        assertThat(several.body()).hasSizeGreaterThan(200000);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        await().untilAsserted(() -> assertThat(SENT_FILES).hasSize(3).containsOnly(""));
        assertThat(server.bean(TransferMeter.class).sent() - sentBefore).isGreaterThanOrEqualTo(10 + 200000);
    }

    private static HttpResponse<byte[]> get(String path, String range) throws Exception {
        return http.send(request(path, range).GET().build(), BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder request(String path, String range) {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("apikey", ada.apiKey());
        return range == null ? request : request.header("Range", range);
    }
}
