package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A busy server (503 or 429 with Retry-After) gets the same call again after the wait it asked for plus
 * jitter, and is not taken for an unreachable one. The waits are recorded, not slept.
 */
class ServerClientOverloadTest {
    private static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");

    private final ScriptedServer server = new ScriptedServer();
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private final ServerReachability reachability = new ServerReachability(Clock.fixed(NOW, ZoneOffset.UTC));
    /** Always draws the top of the jitter window, so that the waits are known. */
    private final RandomGenerator highest = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };
    private final ServerClient client = new ServerClient(HttpClient.newHttpClient(), server.uri(), "registration-token", "test",
            reachability, Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add, highest);

    ServerClientOverloadTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aShedRegistrationIsSentAgainAfterRetryAfterPlusJitterUntilTheServerTakesIt() {
        server.busy(503, "2");
        server.busy(503, "1");
        server.ok(ProtocolJson.write(new PilotRegistered("p1", 1000, 4000, List.of(), "session-1")));

        PilotRegistered answer = client.register(new PilotRegistration("host", 2, 1024, List.of(), "test", "17", List.of()));

        assertThat(answer.pilotId()).isEqualTo("p1");
        // Retry-After, then up to the jitter window: 250 ms, then 500 ms for the second shed in a row.
        assertThat(sleeps).containsExactly(2_000L + 250, 1_000L + 500);
        assertThat(server.received).hasSize(3).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo(PilotProtocol.REGISTER);
            assertThat(request.body()).isEqualTo(server.received.get(0).body());
            assertThat(request.authorization()).isEqualTo("Bearer registration-token");
        });
        assertThat(reachability.unreachableForMs()).isZero();
    }

    @Test
    void aShedCompletionKeepsItsContentAndA429CountsAsBusyToo() {
        var batch = new CompletionBatch(List.of(new CompletionBatch.Item("a1",
                new Completion(Completion.Outcome.SUCCEEDED, 0, null, 1, 2, -1, ResourceUsage.NONE))));
        server.busy(429, "1");
        server.ok(ProtocolJson.write(new CompletionBatch.Receipts(List.of())));

        client.completeAll(batch);

        assertThat(sleeps).containsExactly(1_000L + 250);
        assertThat(server.received).hasSize(2);
        assertThat(server.received.get(1).body()).isEqualTo(new String(ProtocolJson.write(batch), StandardCharsets.UTF_8));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonouredToo() {
        server.busy(503, "Sat, 05 Dec 2026 03:00:03 GMT");
        server.ok(ProtocolJson.write(new CompletionBatch.Receipts(List.of())));

        client.completeAll(new CompletionBatch(List.of()));

        assertThat(sleeps).containsExactly(3_000L + 250);
    }

    @Test
    void aServerStillBusyAfterTheCallsPatienceHandsItBackToTheCallersLoopWithoutCountingItUnreachable() {
        for (int i = 0; i < 20; i++) {
            server.busy(503, "5");
        }

        assertThatThrownBy(() -> client.completeAll(new CompletionBatch(List.of())))
                .isInstanceOf(ServerUnreachableException.class).hasMessageContaining("server busy (HTTP 503)");
        // 30 s of patience (the request's timeout): 5.25 s, 5.5 s, 6 s, 7 s, 9 s
        assertThat(sleeps).containsExactly(5_250L, 5_500L, 6_000L, 7_000L, 9_000L);
        assertThat(reachability.unreachableForMs()).isZero();
    }

    @Test
    void a503WithoutRetryAfterIsStillTheServerFailing() {
        server.busy(503, null);

        assertThatThrownBy(() -> client.completeAll(new CompletionBatch(List.of())))
                .isInstanceOf(ServerUnreachableException.class).hasMessageContaining("HTTP 503");
        assertThat(sleeps).isEmpty();
        assertThat(server.received).hasSize(1);
    }

    @Test
    void aShedDownloadLeavesNoErrorBodyInTheFile(@TempDir Path dir) throws IOException {
        server.busy(503, "1");
        server.ok("abc".getBytes(StandardCharsets.UTF_8));

        long size = client.download("/files/input.txt", dir.resolve("input.txt"));

        assertThat(size).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("input.txt"))).isEqualTo("abc");
    }

    record Received(String path, String body, String authorization) {
    }

    /** Answers each request with the next scripted answer; records what it received. */
    static final class ScriptedServer implements AutoCloseable {
        private record Answer(int status, String retryAfter, byte[] body) {
        }

        private final HttpServer http;
        private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        final List<Received> received = new CopyOnWriteArrayList<>();

        ScriptedServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", exchange -> {
                try (exchange) {
                    received.add(new Received(exchange.getRequestURI().getPath(),
                            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                            exchange.getRequestHeaders().getFirst(PilotProtocol.AUTHORIZATION)));
                    Answer answer = answers.poll();
                    if (answer == null) {
                        exchange.sendResponseHeaders(500, -1);
                        return;
                    }
                    if (answer.retryAfter() != null) {
                        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
                    }
                    exchange.sendResponseHeaders(answer.status(), answer.body().length);
                    exchange.getResponseBody().write(answer.body());
                }
            });
            http.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        }

        void busy(int status, String retryAfter) {
            answers.add(new Answer(status, retryAfter,
                    "{\"title\":\"Server busy\",\"status\":503}".getBytes(StandardCharsets.UTF_8)));
        }

        void ok(byte[] body) {
            answers.add(new Answer(200, null, body));
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
