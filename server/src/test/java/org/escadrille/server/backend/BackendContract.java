package org.escadrille.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Backend} does, whatever runs the pilots: a submitted pilot is active until it
 * exits or is cancelled, and cancelling what is not there is harmless. A new engine (SLURM,
 * Kubernetes, …) is done when a subclass of this passes. The pilots are the real pilot jar (the one
 * the server bundles); their server is either nowhere (they keep retrying, so they stay alive) or a
 * stand-in that refuses their token (they exit). Public, so that engines in their own packages
 * ({@code backend.slurm}) extend it.
 */
public abstract class BackendContract {
    /** How long an engine may take to start, stop or forget a pilot. */
    private static final Duration ENGINE = Duration.ofSeconds(30);

    @TempDir
    protected Path dir;

    private Backend backend;
    private Path pilotJar;
    private HttpServer refusing;

    /** A backend with nothing submitted, for one test. */
    protected abstract Backend newBackend() throws IOException;

    @BeforeEach
    void startBackend() throws IOException {
        backend = newBackend();
        pilotJar = dir.resolve("escadrille-pilot.jar");
        try (InputStream in = BackendContract.class.getResourceAsStream("/bundled/escadrille-pilot.jar")) {
            assertThat(in).as("the pilot jar bundled in the server (build with ./mvnw verify)").isNotNull();
            Files.copy(in, pilotJar);
        }
    }

    @AfterEach
    void cancelEverything() {
        if (backend != null) { // null when the engine is absent and the test was skipped
            backend.active().forEach(backend::cancel);
        }
        if (refusing != null) {
            refusing.stop(0);
        }
    }

    @Test
    void aBackendHasAName() {
        assertThat(backend.name()).isNotBlank().isLowerCase();
    }

    @Test
    void aSubmittedPilotIsActiveUntilItIsCancelled() throws IOException {
        backend.submit(launch("pilot-1", nowhere()));

        assertThat(backend.active()).contains("pilot-1");
        // Still there a moment later: a pilot with no server keeps trying.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> backend.active().contains("pilot-1"));

        backend.cancel("pilot-1");

        await().atMost(ENGINE).until(() -> !backend.active().contains("pilot-1"));
    }

    @Test
    void aPilotThatExitsIsNoLongerActive() throws IOException {
        backend.submit(launch("pilot-refused", refusingServer()));

        await().atMost(ENGINE).until(() -> !backend.active().contains("pilot-refused"));
    }

    @Test
    void cancellingOnePilotLeavesTheOthers() throws IOException {
        backend.submit(launch("pilot-a", nowhere()));
        backend.submit(launch("pilot-b", nowhere()));

        backend.cancel("pilot-a");

        await().atMost(ENGINE).until(() -> !backend.active().contains("pilot-a"));
        assertThat(backend.active()).contains("pilot-b");
    }

    @Test
    void cancellingAnUnknownOrCancelledPilotIsHarmless() throws IOException {
        assertThatCode(() -> backend.cancel("never-submitted")).doesNotThrowAnyException();

        backend.submit(launch("pilot-twice", nowhere()));
        backend.cancel("pilot-twice");

        assertThatCode(() -> backend.cancel("pilot-twice")).doesNotThrowAnyException();
        await().atMost(ENGINE).until(() -> !backend.active().contains("pilot-twice"));
    }

    @Test
    void nothingSubmittedIsNothingActive() {
        assertThat(backend.active()).isEmpty();
    }

    private PilotLaunch launch(String pilotId, String serverUrl) {
        return new PilotLaunch(pilotId, "registration-token-" + pilotId, serverUrl, pilotJar, 1,
                dir.resolve("work").resolve(pilotId), null);
    }

    /** A URL where nothing listens: the port of a socket opened then closed. */
    private static String nowhere() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** A stand-in server that refuses every token with 401, after which a pilot exits. */
    private String refusingServer() {
        try {
            refusing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        refusing.createContext("/", exchange -> {
            byte[] body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown token\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(401, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        refusing.start();
        return "http://127.0.0.1:" + refusing.getAddress().getPort();
    }
}
