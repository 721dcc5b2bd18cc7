package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * A large upload is read through a larger socket buffer of its connection, which gets its small one back
 * after it: an idle connection (a pilot's) keeps the small buffer of {@link WebServerConfiguration}.
 */
@Tag("e2e")
class LargeBodyReadsTest {
    /**
     * The connection's read buffer as each request found it while served, then after its body was read;
     * recorded once the request is served, which may be after its client has the answer (hence the waits).
     */
    private static final List<String> SEEN = new CopyOnWriteArrayList<>();
    private static TestServer server;
    private static ApiClient ada;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static class ReadBufferWitness {
        @Bean
        FilterRegistrationBean<Filter> readBufferWitness() {
            Filter filter = (request, response, chain) -> {
                int during = LargeBodyReads.readBufferBytes(request);
                chain.doFilter(request, response);
                SEEN.add(during + "/" + LargeBodyReads.readBufferBytes(request));
            };
            var registration = new FilterRegistrationBean<>(filter);
            registration.setOrder(0);
            return registration;
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).with(ReadBufferWitness.class).start();
        ada = server.newUser("ada");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    @Test
    void aLargeUploadIsReadThroughALargeBufferThatShrinksBackAfterIt() throws Exception {
        byte[] content = new byte[(int) LargeBodyReads.LARGE_BODY_BYTES * 3 + 5];
        new Random(7).nextBytes(content);

        var upload = http.send(put("/api/v1/files/big.bin", content), BodyHandlers.ofString());
        var next = http.send(get("/api/v1/files"), BodyHandlers.ofString());

        assertThat(upload.statusCode()).isEqualTo(201);
        assertThat(upload.body()).contains(Sha256.of(content));
        assertThat(next.statusCode()).isEqualTo(200);
        int small = WebServerConfiguration.SOCKET_BUFFER_BYTES;
        await().untilAsserted(() -> assertThat(SEEN).containsExactlyInAnyOrder(
                LargeBodyReads.READ_BUFFER_BYTES + "/" + LargeBodyReads.READ_BUFFER_BYTES, small + "/" + small));
    }

    @Test
    void aSmallUploadKeepsTheSmallBuffer() throws Exception {
        var upload = http.send(put("/api/v1/files/small.txt", "0123456789".getBytes()), BodyHandlers.ofString());

        assertThat(upload.statusCode()).isEqualTo(201);
        int small = WebServerConfiguration.SOCKET_BUFFER_BYTES;
        await().untilAsserted(() -> assertThat(SEEN).containsExactly(small + "/" + small));
    }

    private static HttpRequest put(String path, byte[] body) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).header("apikey", ada.apiKey())
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).header("apikey", ada.apiKey()).GET().build();
    }
}
