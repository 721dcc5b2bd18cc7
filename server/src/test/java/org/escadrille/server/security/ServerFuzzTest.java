package org.escadrille.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.security.Callers.Kind;
import org.escadrille.server.security.Callers.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
class ServerFuzzTest {
    /** Fixed by default, so that CI is repeatable; {@code bench/run fuzz} draws a new one each time. */
    private static final long SEED = Long.getLong("escadrille.fuzz.seed", 20261205L);
    private static final int TRIES = Integer.getInteger("escadrille.fuzz.tries", 300);
    /** A class name such as {@code java.lang.IllegalStateException} or {@code org.escadrille.server.Ids}. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:java|javax|jakarta|org|com|tools|net|sun)\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");
    private static final Pattern STACK_FRAME = Pattern.compile("\\n\\s*at [a-zA-Z_$][\\w$.]*\\(");

    /**
     * 5xx answers that others are fixing: the fuzzer tolerates these (and counts them) until the lead
     * empties this list. Each names its finding and recognises its requests.
     */
    static final List<Known> KNOWN_UNTIL_FIXED = List.of(
            new Known("GET /error (any method) is a 500", f -> f.request().path().startsWith("/error")),
            new Known("a body declared multipart/form-data (a form upload) is a 500 when it is not a valid multipart body",
                    f -> f.request().contentType() != null && f.request().contentType().startsWith("multipart/")),
            new Known("PUT of a file under an existing file is a 500", f -> underAStoredFile(f.request().path())),
            new Known("a file name over 255 bytes is a 500 (a user's file, a pilot's output or checkpoint)",
                    f -> f.request().path().matches("/(api/v1/files|files/upload|api/pilot/v1/attempts)/.*[^/?&=]{255,}.*")),
            new Known("an execution name over 200 characters is a 500",
                    f -> f.body().matches("(?s).*\"name\"\\s*:\\s*\"[^\"]{201,}\".*") || f.category().equals("form-launch")
                            && formValue(f, "name").length() > 200),
            new Known("an output path-template such as ../../cfg.txt is a 500 at launch",
                    f -> f.body().contains("\"" + FuzzRequests.HOSTILE_TEMPLATE_APP)),
            new Known("a password over 72 bytes is a 500 when an admin creates a user",
                    f -> f.category().equals("new-user") && formValue(f, "password").getBytes(StandardCharsets.UTF_8).length > 72),
            new Known("a user name of thousands of characters is a 500 at sign-in",
                    f -> f.category().equals("sign-in") && formValue(f, "username").length() > 1000));

    /** A known 5xx: its finding, and the requests that meet it. */
    record Known(String finding, Predicate<Fuzzed> matches) {
    }

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
        STORED.add(OwnedObjects.FILE);
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
        Map<String, Integer> knownHits = new LinkedHashMap<>();
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        int sent = 0;
        for (int i = 0; i < TRIES; i++) {
            Fuzzed fuzzed = requests.next();
            HttpResponse<String> response;
            try {
                response = fuzzed.category().equals("sign-in") ? callers.sendInFreshSession(fuzzed.request())
                        : callers.send(fuzzed.role(), fuzzed.pilotToken(), fuzzed.request());
            } catch (IllegalArgumentException e) {
                continue; // the JDK's client refused to send it (a header it does not allow): not the server's doing
            } catch (java.io.UncheckedIOException e) {
                // beyond server.max-http-request-header-size (4 KB), Tomcat may close the connection unanswered
                if (fuzzed.request().path().length() + String.join("", fuzzed.request().headers().values()).length() < 4096) {
                    failures.add("no answer (" + e.getCause() + ") to " + fuzzed.describe());
                }
                statuses.merge(fuzzed.category() + " closed", 1, Integer::sum);
                continue;
            }
            sent++;
            noteStored(fuzzed, response);
            statuses.merge(fuzzed.category() + " " + response.statusCode(), 1, Integer::sum);
            String problem = problem(response);
            if (problem == null) {
                continue;
            }
            var known = KNOWN_UNTIL_FIXED.stream().filter(k -> k.matches().test(fuzzed)).findFirst();
            if (known.isPresent() && response.statusCode() >= 500) {
                if (knownHits.merge(known.get().finding(), 1, Integer::sum) == 1) {
                    System.out.println("fuzz: known finding \"" + known.get().finding() + "\", e.g. " + excerpt(fuzzed.describe(), 600));
                }
            } else {
                failures.add(problem + " for " + fuzzed.describe() + "\n    answer: " + excerpt(response.body(), 300));
            }
        }
        long heapAfter = usedHeapAfterGc();
        System.out.printf("fuzz: seed %d, %d tries, %d sent, statuses %s, known findings met %s, heap %d -> %d MB%n",
                SEED, TRIES, sent, statuses, knownHits, heapBefore >> 20, heapAfter >> 20);

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
    private static final java.util.Set<String> STORED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final Pattern UPLOAD = Pattern.compile("/(?:api/v1/files|files/upload)/([^?]*).*");

    private static void noteStored(Fuzzed fuzzed, HttpResponse<String> response) {
        var upload = UPLOAD.matcher(fuzzed.request().path());
        if (response.statusCode() == 201 && upload.matches()) {
            STORED.add(java.net.URLDecoder.decode(upload.group(1).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
    }

    private static boolean underAStoredFile(String path) {
        var upload = UPLOAD.matcher(path);
        if (!upload.matches()) {
            return false;
        }
        String file = java.net.URLDecoder.decode(upload.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        return STORED.stream().anyMatch(stored -> file.startsWith(stored + "/"));
    }

    /** A field of a form body, decoded ("" when absent). */
    static String formValue(Fuzzed fuzzed, String name) {
        for (String pair : fuzzed.body().split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    static String excerpt(String text, int max) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= max ? flat : flat.substring(0, max) + "…(" + flat.length() + " chars)";
    }
}
