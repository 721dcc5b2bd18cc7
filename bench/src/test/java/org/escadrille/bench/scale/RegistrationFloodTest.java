package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 in small: a storm of registrations against a server with a small heap, in its own JVM, sheds
 * what it cannot take at once (503 with Retry-After), and the simulated pilots, which send a shed call
 * again after the wait, all end registered; the server stays up, with no {@code OutOfMemoryError}.
 */
@Tag("e2e")
class RegistrationFloodTest {
    private static final int PILOTS = 3_000;

    @Test
    void aStormOfRegistrationsAgainstASmallHeapEndsWithEveryPilotRegisteredAndTheServerAlive() throws Exception {
        // Under target/, not a temporary directory: the server's log stays there for whoever reads a failure.
        Path dataDir = Path.of("target", "registration-flood").toAbsolutePath();
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        try (var server = new ServerUnderTest(dataDir)) {
            List<String> tokens = server.seedPilots(PILOTS);
            // A small bound on registrations, so that the storm is surely shed in part even on a fast machine.
            server.start(System.getProperty("java.home"), System.getProperty("java.class.path"), "160m",
                    List.of("--escadrille.overload.registrations=16", "--escadrille.overload.retry-after-max=3s"));
            var tally = new SimulatedPilot.Tally();
            var clients = new ArrayList<HttpClient>();
            for (int i = 0; i < 8; i++) {
                clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build());
            }
            var pilots = Executors.newVirtualThreadPerTaskExecutor();
            try {
                // All at once: every pilot's registration is sent within the first second or so. Without the bounds, 3,000 of
                // them at once killed this server (OutOfMemoryError, 185 registered), as 10,000 killed one of 1 GiB.
                long start = System.nanoTime();
                for (int i = 0; i < PILOTS; i++) {
                    var pilot = new SimulatedPilot(clients.get(i % clients.size()), server.url(), tokens.get(i), "flood-" + i,
                            20_000, 0, 10_000, tally);
                    pilots.submit(() -> {
                        while (!pilot.register()) {
                            Thread.sleep(1_000);
                        }
                        return null;
                    });
                }

                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> tally.registered.sum() == PILOTS || !server.alive());
                System.out.printf("registration flood: %,d of %,d registered in %.1f s, %,d registrations shed, I/O errors: %s%n",
                        tally.registered.sum(), PILOTS, (System.nanoTime() - start) / 1e9, tally.shedCount("register"), tally.errors);
            } finally {
                pilots.shutdownNow();
                clients.forEach(HttpClient::shutdownNow);
            }

            String log = Files.readString(server.log());
            assertThat(log).doesNotContain("OutOfMemoryError");
            assertThat(server.alive()).as("the server is alive; see " + server.log()).isTrue();
            assertThat(tally.registered.sum()).isEqualTo(PILOTS);
            assertThat(tally.shedCount("register")).as("registrations shed (503 with Retry-After)").isPositive();
            // Connection-level errors (a reset in the storm of connects) may happen: the pilot retries them too.
            assertThat(tally.errors.keySet()).as("failures other than shedding").allSatisfy(
                    error -> assertThat(error).doesNotContain("HTTP"));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
