package org.escadrille.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.server.scheduling.PilotRegistry;

/**
 * A pilot driven by a test over HTTP, without a process: minted like any pilot, it registers with
 * its registration token and then calls the protocol with the newest session token it was given,
 * or with any token the test chooses (a thief's).
 */
final class HandPilot {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    final String pilotId;
    final String registrationToken;
    volatile String sessionToken;

    private HandPilot(String baseUrl, String pilotId, String registrationToken) {
        this.baseUrl = baseUrl;
        this.pilotId = pilotId;
        this.registrationToken = registrationToken;
    }

    /** A pilot of {@code server}, minted but not registered. */
    static HandPilot minted(TestServer server) {
        var credentials = server.bean(PilotRegistry.class).mint("test");
        return new HandPilot(server.url(), credentials.pilotId(), credentials.token());
    }

    /** A pilot of {@code server}, registered from {@code host} with {@code tags}. */
    static HandPilot registered(TestServer server, String host, List<String> tags) {
        var pilot = minted(server);
        var answer = pilot.register(pilot.registrationToken, host, tags);
        if (answer.status() != 200) {
            throw new AssertionError("registration refused: " + answer.body());
        }
        return pilot;
    }

    /** A pilot of {@code site} on a host with this processor, registered. */
    static HandPilot ofSite(TestServer server, String site, String host, String cpuModel) {
        var credentials = server.bean(PilotRegistry.class).mint("manual", site);
        var pilot = new HandPilot(server.url(), credentials.pilotId(), credentials.token());
        var response = pilot.post(PilotProtocol.REGISTER, pilot.registrationToken,
                new PilotRegistration(host, 1, 1024, List.of(), "test", "25", List.of(), false, cpuModel));
        if (response.status() != 200) {
            throw new AssertionError("registration refused: " + response.body());
        }
        pilot.sessionToken = ProtocolJson.read(response.body().getBytes(), PilotRegistered.class).sessionToken();
        return pilot;
    }

    /** Registers with {@code token}; an accepted registration's session token becomes this pilot's. */
    ApiClient.Response register(String token, String host, List<String> tags) {
        var response = post(PilotProtocol.REGISTER, token,
                new PilotRegistration(host, 1, 1024, tags, "test", "25", List.of()));
        if (response.status() == 200) {
            sessionToken = ProtocolJson.read(response.body().getBytes(), PilotRegistered.class).sessionToken();
        }
        return response;
    }

    /** A protocol call with this pilot's session token. */
    ApiClient.Response post(String path, Object message) {
        return post(path, sessionToken, message);
    }

    ApiClient.Response post(String path, String token, Object message) {
        return send(path, token, "POST", "application/json", ProtocolJson.write(message));
    }

    /** Sends a lease request and takes up the session token its grant brings; anything but a 200 fails. */
    LeaseGrant lease(LeaseRequest request) {
        var response = post(PilotProtocol.LEASE, request);
        if (response.status() != 200) {
            throw new IllegalStateException("the lease request was refused: " + response.status() + " " + response.body());
        }
        var grant = ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
        if (grant.sessionToken() != null) {
            sessionToken = grant.sessionToken();
        }
        return grant;
    }

    /** Leases (one slot, no wait) until a task comes, for up to 20 s: its attempt's id. */
    String leaseOne() {
        LeaseGrant grant = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> lease(new LeaseRequest(1, 1024, 0, List.of())), g -> !g.tasks().isEmpty());
        return grant.tasks().get(0).attemptId();
    }

    /** {@link #succeedWithOutput}, and the receipt of a completion the server answered 200. */
    CompletionReceipt succeed(String attemptId) {
        var answer = succeedWithOutput(attemptId);
        if (answer.status() != 200) {
            throw new IllegalStateException("the completion was refused: " + answer.status() + " " + answer.body());
        }
        return ProtocolJson.read(answer.body().getBytes(StandardCharsets.UTF_8), CompletionReceipt.class);
    }

    /**
     * Runs an attempt of a task whose tool writes {@code out.txt} to its end: uploads that file (one line) through
     * the server and reports the attempt SUCCEEDED, after a second's run; the completion's answer.
     */
    ApiClient.Response succeedWithOutput(String attemptId) {
        var upload = send(PilotProtocol.outputPath(attemptId) + "?path=out.txt", sessionToken, "PUT",
                "application/octet-stream", "x\n".getBytes(StandardCharsets.UTF_8));
        if (upload.status() != 200) {
            throw new IllegalStateException("the upload of out.txt was refused: " + upload.status() + " " + upload.body());
        }
        long now = System.currentTimeMillis();
        return post(PilotProtocol.completionPath(attemptId), new Completion(Completion.Outcome.SUCCEEDED, 0, null,
                now - 1_000, now, -1, new ResourceUsage(1, 1, 1, 1024, 0, 0)));
    }

    ApiClient.Response send(String path, String token, String method, String contentType, byte[] body) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header(PilotProtocol.AUTHORIZATION, "Bearer " + token)
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
