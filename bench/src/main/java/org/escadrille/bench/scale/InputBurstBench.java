package org.escadrille.bench.scale;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.escadrille.bench.CpuMeter;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.TaskAssignment;

/**
 * {@code bench/run burst} (issue 14): {@code --pilots} simulated pilots (virtual threads in this JVM, as
 * {@code scale}'s) each lease one task of a sweep whose every task reads the same {@code --size} input,
 * ask the server for it the way a pilot does ({@code GET .../inputs/0}, answered with a redirect to a
 * presigned URL on S3) and GET it from s3proxy (started here). Reports the server process's CPU during
 * the burst against the same length of its idle time just before: with direct transfers it should stay
 * near idle, since no byte of the input passes through it.
 */
public final class InputBurstBench {
    private InputBurstBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int pilots = Integer.parseInt(options.getOrDefault("pilots", "1000"));
        long size = TransferBench.bytes(options.getOrDefault("size", "100MiB"));
        Path bench = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath();
        Path out = bench.resolve("results").resolve("burst");
        Path work = out.resolve("work");
        TransferBench.deleteTree(work);
        Files.createDirectories(work);
        String javaHome = System.getProperty("java.home");
        Path input = work.resolve("input.bin");
        TransferBench.write(input, size);

        var http = client();
        // The bytes through clients of their own, as scale's pilots spread over 8: one client's selector thread
        // would otherwise carry every download of the burst.
        var downloaders = new HttpClient[8];
        for (int i = 0; i < downloaders.length; i++) {
            downloaders[i] = client();
        }
        var tally = new SimulatedPilot.Tally();
        var fetched = new LongAdder();
        var downloads = new LongAdder();
        var threads = new ArrayList<Thread>();
        try (var s3 = new S3ProxyProcess(javaHome, Files.readString(bench.resolve("target/s3proxy-classpath.txt")).strip(),
                Files.createDirectories(work.resolve("s3")));
             var server = new ServerUnderTest(Files.createDirectories(work.resolve("server")))) {
            List<String> tokens = server.seedPilots(pilots);
            var settings = new ArrayList<>(s3.serverSettings());
            settings.add("--escadrille.storage.s3.url-lifetime=30m");
            server.start(javaHome, System.getProperty("java.class.path"), "1g", settings);
            String key = server.adminKey();
            upload(http, server.url(), key, input);
            Files.delete(input);

            for (int i = 0; i < pilots; i++) {
                HttpClient downloader = downloaders[i % downloaders.length];
                SimulatedPilot.Work fetch = (task, session) -> {
                    for (TaskAssignment.InputFile file : task.inputs()) {
                        // As the real pilot's InputStager does (RetryLoop): a failed download is tried again after a
                        // jittered wait, for as long as the attempt is wanted (here: until the run ends).
                        long waitMs = 1_000;
                        while (true) {
                            long got = fetch(http, downloader, server.url(), session, file);
                            fetched.add(Math.max(0, got));
                            if (got == file.size()) {
                                downloads.increment();
                                break;
                            }
                            tally.error(got < 0 ? "input not fetched (tried again)" : "input short (tried again)");
                            Thread.sleep(waitMs + ThreadLocalRandom.current().nextLong(waitMs));
                            waitMs = Math.min(30_000, waitMs * 2);
                        }
                    }
                };
                var pilot = new SimulatedPilot(http, server.url(), tokens.get(i), "burst-" + i, 20_000, 15_000, tally, fetch);
                threads.add(Thread.ofVirtual().name("pilot-" + i).start(pilot));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (tally.registered.sum() < pilots && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            System.out.printf(Locale.ROOT, "burst: %d of %d pilots registered; measuring the server's idle CPU%n",
                    tally.registered.sum(), pilots);
            double idleWindowS = Double.parseDouble(options.getOrDefault("idle-seconds", "10"));
            double idleFrom = CpuMeter.processSeconds(server.pid());
            Thread.sleep((long) (idleWindowS * 1000));
            double idleCores = (CpuMeter.processSeconds(server.pid()) - idleFrom) / idleWindowS;

            double cpuFrom = CpuMeter.processSeconds(server.pid());
            long start = System.nanoTime();
            launch(http, server.url(), key, pilots);
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(Long.parseLong(options.getOrDefault("timeout-minutes", "30")));
            // Every task completed (its download counted or given up), or the time-out: completions the server
            // answered late are sent again by the pilots, and count among the errors without ending a task.
            while (tally.completedAll.sum() < pilots && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double wallS = (System.nanoTime() - start) / 1e9;
            double cpuS = CpuMeter.processSeconds(server.pid()) - cpuFrom;
            threads.forEach(Thread::interrupt);

            String summary = String.format(Locale.ROOT, """
                    burst: %d pilots fetching one %s input from S3 (s3proxy on loopback) through presigned URLs
                    | pilots | input | downloads complete | tasks completed | wall (s) | GiB fetched | server CPU (s) | server cores during the burst | server cores idle before |
                    | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
                    | %d | %s | %d | %d | %.1f | %.2f | %.1f | %.3f | %.3f |
                    errors: %s
                    """, pilots, TransferBench.human(size), pilots, TransferBench.human(size), downloads.sum(), tally.completedAll.sum(), wallS,
                    fetched.sum() / 1073741824.0, cpuS, cpuS / wallS, idleCores, tally.errors);
            System.out.print(summary);
            Files.writeString(out.resolve("summary.md"), summary);
            Files.writeString(out.resolve("burst.csv"), String.format(Locale.ROOT,
                    "pilots,size_bytes,downloads,wall_s,server_cpu_s,server_cores_burst,server_cores_idle%n%d,%d,%d,%.2f,%.2f,%.4f,%.4f%n",
                    pilots, size, downloads.sum(), wallS, cpuS, cpuS / wallS, idleCores));
            System.out.println("burst: results in " + out);
        } finally {
            threads.forEach(Thread::interrupt);
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The pilot's way: the server's input URL through {@code http}, a redirect to the store, and the bytes from there
     * through {@code downloader}; the bytes read, or -1 on failure.
     */
    private static long fetch(HttpClient http, HttpClient downloader, String server, String token, TaskAssignment.InputFile file)
            throws InterruptedException {
        try {
            var asked = http.send(HttpRequest.newBuilder(URI.create(server + file.url()))
                    .header(PilotProtocol.AUTHORIZATION, "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            var location = asked.headers().firstValue("Location");
            if (asked.statusCode() != 302 || location.isEmpty()) {
                return -1;
            }
            var response = downloader.send(HttpRequest.newBuilder(URI.create(location.get())).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                return response.statusCode() == 200 ? body.transferTo(java.io.OutputStream.nullOutputStream()) : -1;
            }
        } catch (IOException e) {
            return -1;
        }
    }

    private static void upload(HttpClient http, String server, String key, Path input) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/files/bench/input.bin")).header("apikey", key)
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofFile(input)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("upload of the input: HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Publishes a tool that reads one file, and launches one task per pilot on the same input. */
    private static void launch(HttpClient http, String server, String key, int tasks) throws IOException, InterruptedException {
        String app = """
                {"name":"fetch","tool-version":"1","schema-version":"0.5","description":"reads one input",
                 "command-line":"true [I] [IN]",
                 "inputs":[{"id":"i","name":"i","type":"Number","integer":true,"value-key":"[I]"},
                           {"id":"in","name":"in","type":"File","value-key":"[IN]"}],
                 "output-files":[{"id":"none","name":"none","path-template":"none.out","optional":true}]}""";
        post(http, server + "/api/v1/apps", key, app);
        var values = new StringBuilder();
        for (int i = 0; i < tasks; i++) {
            values.append(i == 0 ? "" : ",").append(i);
        }
        post(http, server + "/api/v1/executions", key,
                "{\"app\":\"fetch\",\"inputs\":{\"i\":[" + values + "],\"in\":\"bench/input.bin\"}}");
    }

    private static void post(HttpClient http, String url, String key, String json) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).header("apikey", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(url + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }
}
