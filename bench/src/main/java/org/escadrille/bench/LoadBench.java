package org.escadrille.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.scheduling.PilotRegistry;

/**
 * {@code bench/run load}: N API clients at once for S seconds, each a loop of a read (list executions,
 * get one, list files, the catalogue) or now and then a launch of a small execution ({@code sha256sum}
 * of a small file), with a think time between requests; local pilots run what is launched. Reports the
 * errors and the latency percentiles of each kind of request. Loopback only; every loop ends at the
 * deadline, and every request has a timeout.
 */
final class LoadBench {
    /** What to run; see {@link BenchMain#USAGE}. */
    record Settings(int clients, int seconds, int users, double launchShare, int thinkMs, int drainSeconds, Path results) {
    }

    enum Operation { LIST_EXECUTIONS, GET_EXECUTION, LIST_FILES, APPS, LAUNCH }

    private static final String INPUT = "load/input.txt";
    private static final Set<String> ENDED = Set.of("Finished", "InitializationFailed", "ExecutionFailed", "Killed");

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ConcurrentLinkedQueue<String> errorExamples = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String[]> launched = new ConcurrentLinkedQueue<>();
    private String url;

    LoadBench(Settings settings) {
        this.settings = settings;
    }

    void run() throws Exception {
        Files.createDirectories(settings.results());
        var properties = Map.of("escadrille.local.enabled", "true", "escadrille.local.pilots", "1",
                "escadrille.local.slots", "2");
        System.out.printf(Locale.ROOT, "load: %s%nload: %d clients of %d users for %d s, %.0f%% launches, think time %d ms%n",
                Machine.describe(), settings.clients(), settings.users(), settings.seconds(), settings.launchShare() * 100,
                settings.thinkMs());
        try (var server = BenchServer.start(settings.results().resolve("data"), properties)) {
            url = server.url();
            awaitPilots(server.bean(PilotRegistry.class));
            List<String> keys = users(server.bean(AccountService.class));
            double load = Machine.load1();
            CpuMeter.Sample from = CpuMeter.sample();
            var byOperation = drive(keys);
            double background = CpuMeter.background(from, CpuMeter.sample(), 0);
            int[] ends = drain(keys);
            String summary = summary(byOperation, load, background, ends);
            Files.writeString(settings.results().resolve("summary.md"), summary);
            System.out.print(summary);
        }
    }

    private void awaitPilots(PilotRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (registry.liveSlots(60_000) < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no local pilot registered within 60 s");
            }
            Thread.sleep(200); // polling a condition with no signal to wait on; the benchmark has not started
        }
    }

    /** One user per {@code users}, each with a key, the input file and a first execution to read. */
    private List<String> users(AccountService accounts) throws Exception {
        var keys = new ArrayList<String>();
        for (int i = 0; i < settings.users(); i++) {
            var account = accounts.createUser("load-" + i, "password-of-load-" + i, Account.Role.USER);
            String key = accounts.newApiKey(account, "load");
            var stored = send(key, HttpRequest.newBuilder(URI.create(url + "/api/v1/files/" + INPUT))
                    .PUT(HttpRequest.BodyPublishers.ofString("a small input of user " + i + "\n")));
            if (stored.statusCode() != 201) {
                throw new IllegalStateException("uploading the input answered " + stored.statusCode() + ": " + stored.body());
            }
            var first = send(key, launch());
            if (first.statusCode() != 201) {
                throw new IllegalStateException("the first launch answered " + first.statusCode() + ": " + first.body());
            }
            launched.add(new String[] {key, id(first.body())});
            keys.add(key);
        }
        return keys;
    }

    private Map<Operation, Latencies> drive(List<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.seconds());
        var results = new ConcurrentLinkedQueue<Map<Operation, Latencies>>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < settings.clients(); c++) {
                String key = keys.get(c % keys.size());
                clients.submit(() -> results.add(client(key, deadline)));
            }
            clients.shutdown();
            if (!clients.awaitTermination(settings.seconds() + 120L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients still running two minutes after the deadline");
            }
        }
        var merged = new EnumMap<Operation, Latencies>(Operation.class);
        for (Operation op : Operation.values()) {
            merged.put(op, new Latencies());
        }
        results.forEach(result -> result.forEach((op, latencies) -> merged.get(op).addAll(latencies)));
        return merged;
    }

    /** One client: requests until the deadline, each followed by a think time of 0.5 to 1.5 times the setting. */
    private Map<Operation, Latencies> client(String key, long deadline) {
        var latencies = new EnumMap<Operation, Latencies>(Operation.class);
        var random = ThreadLocalRandom.current();
        List<String> mine = new ArrayList<>(launched.stream().filter(l -> l[0].equals(key)).map(l -> l[1]).toList());
        // start spread over one think time, as people arriving, not all in the same millisecond
        pause(random.nextLong(settings.thinkMs() + 1L));
        while (System.nanoTime() < deadline) {
            Operation op = pick(random.nextDouble());
            HttpRequest.Builder request = switch (op) {
                case LIST_EXECUTIONS -> get("/api/v1/executions");
                case GET_EXECUTION -> get("/api/v1/executions/" + mine.get(random.nextInt(mine.size())));
                case LIST_FILES -> get("/api/v1/files?dir=load");
                case APPS -> get("/api/v1/apps");
                case LAUNCH -> launch();
            };
            long start = System.nanoTime();
            boolean ok;
            try {
                var response = send(key, request);
                ok = response.statusCode() == (op == Operation.LAUNCH ? 201 : 200);
                if (ok && op == Operation.LAUNCH) {
                    String id = id(response.body());
                    mine.add(id);
                    launched.add(new String[] {key, id});
                } else if (!ok) {
                    example(op + " answered " + response.statusCode() + ": " + response.body());
                }
            } catch (IOException | RuntimeException e) {
                ok = false;
                example(op + " failed: " + e);
            }
            latencies.computeIfAbsent(op, o -> new Latencies()).record((System.nanoTime() - start) / 1000, ok);
            pause((long) (settings.thinkMs() * (0.5 + random.nextDouble())));
        }
        return latencies;
    }

    private Operation pick(double draw) {
        if (draw < settings.launchShare()) {
            return Operation.LAUNCH;
        }
        // the reads share the rest: lists and single executions most, as the CLI's status and the portal do
        double read = (draw - settings.launchShare()) / (1 - settings.launchShare());
        return read < 0.35 ? Operation.LIST_EXECUTIONS : read < 0.7 ? Operation.GET_EXECUTION
                : read < 0.85 ? Operation.LIST_FILES : Operation.APPS;
    }

    /** Waits (bounded) for the launched executions to end: how many finished, failed, and had not ended. */
    private int[] drain(List<String> keys) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.drainSeconds());
        int finished = 0;
        int failed = 0;
        int open = 0;
        for (String key : keys) {
            while (true) {
                var list = send(key, get("/api/v1/executions"));
                var executions = Api.JSON.readTree(list.body());
                int ended = 0;
                int ok = 0;
                for (var execution : executions) {
                    String status = execution.path("status").asString();
                    ended += ENDED.contains(status) ? 1 : 0;
                    ok += status.equals("Finished") ? 1 : 0;
                }
                if (ended == executions.size() || System.nanoTime() > deadline) {
                    finished += ok;
                    failed += ended - ok;
                    open += executions.size() - ended;
                    break;
                }
                Thread.sleep(500); // polling the API, as a client would; bounded by the drain deadline
            }
        }
        return new int[] {finished, failed, open};
    }

    private String summary(Map<Operation, Latencies> byOperation, double load, double background, int[] ends) {
        var all = new Latencies();
        byOperation.values().forEach(all::addAll);
        var text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "# bench/run load%n%n%s; load average %.2f before, other processes %.2f cores%n%n"
                        + "%d clients of %d users, %d s, think time %d ms, %.0f%% launches (sha256sum of a small file), one local pilot "
                        + "of 2 slots%n%n| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |%n| --- | --- | --- | --- | --- | --- | --- |%n",
                Machine.describe(), load, background, settings.clients(), settings.users(), settings.seconds(), settings.thinkMs(),
                settings.launchShare() * 100));
        byOperation.forEach((op, latencies) -> row(text, op.name().toLowerCase(Locale.ROOT).replace('_', ' '), latencies));
        row(text, "**all**", all);
        text.append(String.format(Locale.ROOT, "%n%.0f requests/s; executions launched: %d finished, %d failed, %d not ended "
                        + "%d s after the load%n", all.count() / (double) settings.seconds(), ends[0], ends[1], ends[2],
                settings.drainSeconds()));
        if (!errorExamples.isEmpty()) {
            text.append("\nFirst errors:\n\n");
            errorExamples.forEach(example -> text.append("- ").append(example).append('\n'));
        }
        return text.toString();
    }

    private static void row(StringBuilder text, String name, Latencies latencies) {
        text.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s |%n", name, latencies.count(), latencies.errors(),
                Stats.format(latencies.percentileMs(50), 1), Stats.format(latencies.percentileMs(95), 1),
                Stats.format(latencies.percentileMs(99), 1), Stats.format(latencies.percentileMs(100), 1)));
    }

    private void example(String text) {
        if (errorExamples.size() < 10) {
            errorExamples.add(text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).GET();
    }

    private HttpRequest.Builder launch() {
        return HttpRequest.newBuilder(URI.create(url + "/api/v1/executions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"app\": \"sha256sum\", \"inputs\": {\"input\": \"" + INPUT + "\"}}"));
    }

    private HttpResponse<String> send(String key, HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.header("apikey", key).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String id(String body) {
        return Api.JSON.readTree(body).path("id").asString();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // the client's think time: the pace of the load, not a wait for anything
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
