package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.server.scheduling.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Beyond {@code escadrille.long-polls.max-parked} waiting lease requests, the server answers a lease
 * request that finds no work at once, with a time to ask again, and closes that connection: the pilot
 * would only hold it idle until then. The request that waited is then told to come back later too.
 */
@Tag("e2e")
class LongPollBoundEndToEndTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                .property("escadrille.scheduling.long-poll", "30s")
                .property("escadrille.long-polls.max-parked", "1").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLeaseRequestBeyondTheBoundIsAnsweredAtOnceToComeBackLaterOnAConnectionTheServerCloses() throws IOException {
        var parked = HandPilot.registered(server, "parked-host", List.of());
        var parkedAnswer = CompletableFuture.supplyAsync(() -> parked.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 8_000, List.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.bean(Scheduler.class).waitingLeases() == 1);
        var other = HandPilot.registered(server, "other-host", List.of());

        long asked = System.nanoTime();
        String response = rawPost(PilotProtocol.LEASE, other.sessionToken, ProtocolJson.write(new LeaseRequest(1, 1024, 20_000, List.of())));

        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("answered at once, not after a long poll")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        var grant = ProtocolJson.read(response.substring(response.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8),
                LeaseGrant.class);
        assertThat(grant.tasks()).isEmpty();
        assertThat(grant.retryAfterMs()).isBetween(10_000L, 30_000L);
        assertThat(server.bean(Scheduler.class).waitingLeases()).isEqualTo(1);
        var parkedGrant = ProtocolJson.read(parkedAnswer.join().body().getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
        assertThat(parkedGrant.retryAfterMs()).as("the waiting place rotates: the parked pilot is told to come back later too")
                .isBetween(4_000L, 12_000L);
    }

    /** One request on its own keep-alive connection, read until the server closes it (a read that times out fails). */
    private static String rawPost(String path, String token, byte[] body) throws IOException {
        var url = URI.create(server.url());
        try (var socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort() + "\r\n"
                    + PilotProtocol.AUTHORIZATION + ": Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            // readAllBytes ends only when the server closes the connection (a keep-alive one would time out).
            return readToEnd(socket.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
