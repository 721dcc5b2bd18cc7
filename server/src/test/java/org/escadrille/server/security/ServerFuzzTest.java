package org.escadrille.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.security.Callers.Kind;
import org.escadrille.server.security.Callers.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed requests against a real server: any route of its route table with hostile path
 * variables, query strings, headers and bodies; mutated descriptors, invocations and pilot messages;
 * uploads to odd paths; sign-ins and new users with odd names. Never a 5xx, never a stack trace or a Java
 * class name in an answer, and the heap back near its level afterwards.
 *
 * <p>A few hundred tries by default; {@code -Descadrille.fuzz.tries=N} for more ({@code bench/run fuzz}),
 * {@code -Descadrille.fuzz.seed=S} to replay a run (one seeded {@link java.util.Random} draws everything,
 * as in the boutiques module's {@code RandomMutationFuzzTest}). Failures print the exact requests.
 */
@Tag("e2e")
class ServerFuzzTest {
    /** Fixed by default, so that CI is repeatable; {@code bench/run fuzz} draws a new one each time. */
    private static final long SEED = Long.getLong("escadrille.fuzz.seed", 20261205L);
    private static final int TRIES = Integer.getInteger("escadrille.fuzz.tries", 300);
    /** A class name such as {@code java.lang.IllegalStateException} or {@code org.escadrille.server.Ids}. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:java|javax|jakarta|org|com|tools|net|sun)\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");
    private static final Pattern STACK_FRAME = Pattern.compile("\\n\\s*at [a-zA-Z_$][\\w$.]*\\(");

    /** One fuzzed request: what made it, who sent it, and the request itself. */
    record Fuzzed(String category, Role role, String pilotToken, Request request) {
        String body() {
            return request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8);
        }

        String describe() {
            String body = body();
            return category + " as " + role.column + ": " + request.method() + " " + excerpt(request.path(), 300)
                    + (request.kind() == Kind.NAVIGATION ? "" : " [" + request.kind() + "]")
                    + (request.contentType() == null ? "" : " Content-Type: " + request.contentType())
                    + (request.headers().isEmpty() ? "" : " headers " + excerpt(request.headers().toString(), 300))
                    + (request.body() == null ? "" : " body (" + request.body().length + " bytes) " + excerpt(body, 400));
        }
    }

    private static TestServer server;
    private static Callers callers;
    private static OwnedObjects owned;
    private static FuzzRequests requests;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "15s").property("logging.level.org.escadrille", "WARN").start();
        callers = new Callers(server, "fuzz");
        owned = new OwnedObjects(server, callers);
        requests = new FuzzRequests(new FuzzInputs(SEED), RouteTable.of(server), owned);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void randomRequestsNeverGetA5xxNorLeakAClassNameAndTheHeapComesBack() {
        long heapBefore = usedHeapAfterGc();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (int i = 0; i < TRIES; i++) {
            Fuzzed fuzzed = requests.next();
            HttpResponse<String> response;
            try {
                response = fuzzed.category().equals("sign-in") ? callers.sendInFreshSession(fuzzed.request())
                        : callers.send(fuzzed.role(), fuzzed.pilotToken(), fuzzed.request());
            } catch (IllegalArgumentException e) {
                continue; // the JDK's client refused to send it (a header it does not allow): not the server's doing
            } catch (UncheckedIOException e) {
                // beyond server.max-http-request-header-size (4 KB), Tomcat may close the connection unanswered
                if (fuzzed.request().path().length() + String.join("", fuzzed.request().headers().values()).length() < 4096) {
                    failures.add("no answer (" + e.getCause() + ") to " + fuzzed.describe());
                }
                statuses.merge(fuzzed.category() + " closed", 1, Integer::sum);
                continue;
            }
            sent++;
            statuses.merge(fuzzed.category() + " " + response.statusCode(), 1, Integer::sum);
            String problem = problem(response);
            if (problem != null) {
                failures.add(problem + " for " + fuzzed.describe() + "\n    answer: " + excerpt(response.body(), 300));
            }
        }
        long heapAfter = usedHeapAfterGc();
        System.out.printf("fuzz: seed %d, %d tries, %d sent, statuses %s, heap %d -> %d MB%n",
                SEED, TRIES, sent, statuses, heapBefore >> 20, heapAfter >> 20);

        assertThat(failures).as("seed %d (replay with -Descadrille.fuzz.seed=%d -Descadrille.fuzz.tries=%d)", SEED, SEED, TRIES)
                .isEmpty();
        assertThat(sent).as("requests the server answered").isGreaterThan(TRIES / 2);
        assertThat(heapAfter).as("used heap after GC, before the fuzzing: %d MB", heapBefore >> 20)
                .isLessThan(Math.max(heapBefore * 3 / 2, heapBefore + (96L << 20)));
    }

    /** What is wrong with an answer, or null. */
    static String problem(HttpResponse<String> response) {
        if (response.statusCode() >= 500) {
            return "status " + response.statusCode();
        }
        String body = response.body();
        if (STACK_FRAME.matcher(body).find()) {
            return "a stack trace in the answer";
        }
        // Downloads and logs give back what was uploaded; the catalogue shows descriptors' command lines.
        var name = CLASS_NAME.matcher(body);
        if (response.statusCode() >= 400 && name.find()) {
            return "the class name " + name.group() + " in the answer";
        }
        return null;
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The files the fuzzer stored, as paths in the owner's space: a PUT under one of them is a known 500. */
    static String excerpt(String text, int max) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…(" + flat.length() + " chars)";
    }
}
