package org.escadrille.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.escadrille.protocol.Sha256;
import org.flywaydb.core.Flyway;

/**
 * One Escadrille server as its own JVM ({@code -Xmx1g} unless told, no local pilots), with N pilots already in its
 * database: the server has no endpoint that mints pilot tokens (its factory does, for the pilots it
 * starts), so the benchmark migrates the H2 file database and inserts the pilots' rows and their
 * registration tokens ({@code pilot_tokens}, {@code token_hash = SHA-256(token)}) as
 * {@code PilotRegistry.mint} stores them, before the server opens the file.
 */
final class ServerUnderTest implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total.*?used (\\d+)K", Pattern.DOTALL);

    private final Path dataDir;
    private final BenchDatabase database;
    private final int port = freePort();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Process process;
    /** The CPUs the server may run on ({@code taskset -c}), or null for all of them. */
    private String cpus;
    /** Whether JFR keeps 256 frames of each stack instead of 64 (a recording of the window to come). */
    private boolean deepStacks;

    ServerUnderTest(Path dataDir) {
        this(dataDir, BenchDatabase.h2(dataDir));
    }

    ServerUnderTest(Path dataDir, BenchDatabase database) {
        this.dataDir = dataDir;
        this.database = database;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return dataDir.resolve("server.log");
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Creates the schema and {@code pilots} rows; returns their tokens. */
    List<String> seedPilots(int count) throws SQLException {
        Flyway.configure().dataSource(database.url(), database.user(), database.password()).locations("classpath:db/migration")
                .load().migrate();
        var random = new SecureRandom();
        var tokens = new ArrayList<String>(count);
        try (var connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             var insert = connection.prepareStatement(
                     "INSERT INTO pilots (id, backend, token_hash, state, created_at) VALUES (?, 'bench', ?, 'SUBMITTED', ?)");
             var insertToken = connection.prepareStatement("INSERT INTO pilot_tokens (token_hash, pilot_id, kind, created_at,"
                     + " expires_at) VALUES (?, ?, 'REGISTRATION', ?, ?)")) {
            connection.setAutoCommit(false);
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                byte[] secret = new byte[32];
                random.nextBytes(secret);
                String token = HexFormat.of().formatHex(secret);
                tokens.add(token);
                String id = "sim%06d".formatted(i);
                insert.setString(1, id);
                insert.setString(2, sha256(token));
                insert.setLong(3, now);
                insert.addBatch();
                // A registration token, good for one registration, as PilotRegistry.mint stores it.
                insertToken.setString(1, sha256(token));
                insertToken.setString(2, id);
                insertToken.setLong(3, now);
                insertToken.setLong(4, now + 86_400_000L);
                insertToken.addBatch();
                if (i % 1_000 == 999) {
                    insert.executeBatch();
                    insertToken.executeBatch();
                }
            }
            insert.executeBatch();
            insertToken.executeBatch();
            connection.commit();
        }
        return tokens;
    }

    /**
     * Runs the server, once started, on these CPUs only ({@code taskset -c}'s list, e.g. "0"), so that the
     * generator on the others does not take its time: the next best thing to a generator on another machine.
     */
    void pinTo(String cpuList) {
        this.cpus = cpuList;
    }

    /**
     * Has the server, once started, keep 256 frames of each stack JFR samples: with the JVM's 64, a sample taken
     * in a controller lost the filters it ran under, and a tally by filter missed them.
     */
    void recordDeepStacks() {
        this.deepStacks = true;
    }

    /** Starts the server with a heap of {@code heap} (as {@code -Xmx} takes it); it exits on {@code OutOfMemoryError}. */
    void start(String javaHome, String classpath, String heap, List<String> settings) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-cp", classpath,
                "org.escadrille.server.EscadrilleServer", "--server.port=" + port, "--escadrille.data-dir=" + dataDir,
                "--escadrille.local.enabled=false", "--logging.level.org.escadrille=WARN",
                // The simulated pilots run nothing, so they sandbox nothing: without this they get no task.
                "--escadrille.security.single-user=true",
                // one sweep of all the bench's tasks (50,000 by default), over the default bound of a launch
                "--escadrille.limits.tasks-per-launch=10000000"));
        // More JVM options, to look inside the server under test (a GC log, a JFR recording at start).
        String extra = System.getenv("BENCH_SERVER_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(1, List.of(extra.trim().split("\\s+")));
        }
        if (deepStacks) {
            command.add(1, "-XX:FlightRecorderOptions:stackdepth=256");
        }
        command.addAll(database.settings());
        command.addAll(settings);
        if (cpus != null) {
            // taskset execs java: the process, its pid and its threads are the server's. On one CPU the JVM
            // would pick the serial collector; the server keeps G1, which it runs with on two or more.
            command.add(1, "-XX:+UseG1GC");
            command.addAll(0, List.of("taskset", "-c", cpus));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited; see " + dataDir.resolve("server.log"));
            }
            try {
                if (get("/api/v1/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the server did not answer within 2 minutes; see " + dataDir.resolve("server.log"));
    }

    /** The first admin's API key, as the server wrote it in its data directory. */
    String adminKey() throws IOException, InterruptedException {
        Path keyFile = dataDir.resolve("admin.key");
        // Written once the server is ready, which may be just after it first answers.
        for (int i = 0; i < 300 && !Files.exists(keyFile); i++) {
            Thread.sleep(100);
        }
        return Files.readString(keyFile).strip();
    }

    /** Publishes the no-op app and launches a sweep of {@code tasks} values; returns the execution's id. */
    String launchSweep(int tasks) throws IOException, InterruptedException {
        String key = adminKey();
        String app = """
                {"name":"noop","tool-version":"1","schema-version":"0.5","description":"does nothing","command-line":"true [I]",
                 "inputs":[{"id":"i","name":"i","type":"Number","integer":true,"value-key":"[I]"}],"output-files":[{"id":"none","name":"none","path-template":"none.out","optional":true}]}""";
        post("/api/v1/apps", key, app, 201);
        var values = new StringBuilder();
        for (int i = 0; i < tasks; i++) {
            values.append(i == 0 ? "" : ",").append(i);
        }
        String answer = post("/api/v1/executions", key, "{\"app\":\"noop\",\"inputs\":{\"i\":[" + values + "]}}", 201);
        var matcher = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
        return matcher.find() ? matcher.group(1) : "?";
    }

    /**
     * The cumulative counts of the lease-latency histogram in the metrics' text ({@link #scrape}), by upper bound
     * in seconds.
     */
    static TreeMap<Double, Double> leaseLatencyBuckets(String metrics) {
        var buckets = new TreeMap<Double, Double>();
        var bucket = Pattern.compile("^escadrille_lease_latency_seconds_bucket\\{.*le=\"([^\"]+)\".*\\}\\s+(\\S+)$");
        for (String line : metrics.split("\n")) {
            var m = bucket.matcher(line);
            if (m.matches()) {
                double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return buckets;
    }

    /**
     * Requests answered with a 2xx so far, by URI pattern ({@code http_server_requests_seconds_count}), summed over
     * methods and outcomes, from the metrics' text.
     */
    static TreeMap<String, Double> answeredByUri(String metrics) {
        var answered = new TreeMap<String, Double>();
        var count = Pattern.compile("^http_server_requests_seconds_count\\{(.*)\\}\\s+(\\S+)$");
        var status = Pattern.compile("(?:^|,)status=\"2\\d\\d\"");
        var uri = Pattern.compile("(?:^|,)uri=\"([^\"]*)\"");
        for (String line : metrics.split("\n")) {
            var m = count.matcher(line);
            if (m.matches() && status.matcher(m.group(1)).find()) {
                var u = uri.matcher(m.group(1));
                if (u.find()) {
                    answered.merge(u.group(1), Double.parseDouble(m.group(2)), Double::sum);
                }
            }
        }
        return answered;
    }

    /** The metrics as Prometheus reads them: up to three tries of two minutes each, so that a loaded server still answers. */
    String scrape() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                var response = get("/actuator/prometheus", Duration.ofMinutes(2));
                if (response.statusCode() == 200) {
                    return response.body();
                }
                last = new IOException("/actuator/prometheus answered " + response.statusCode());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Lease requests waiting for work on the server now (its gauge), or -1 if unknown. */
    int waitingLeases() {
        return (int) metric("escadrille_leases_waiting");
    }

    /** Lease requests turned away so far (told to come back later, the bound on waiting ones reached), or -1 if unknown. */
    long turnedAway() {
        return (long) metric("escadrille_leases_turned_away_total");
    }

    /** Seconds during which the server shed every call for want of heap so far (its counter), or -1 if unknown. */
    double memoryShedSeconds() {
        return metric("escadrille_overload_memory_shed_seconds_total");
    }

    /**
     * The CPU time the server process has used so far, user and system, in seconds (from
     * {@code /proc/PID/stat}), or -1 if unknown.
     */
    double cpuSeconds() {
        try {
            return procCpuSeconds(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
        } catch (IOException e) {
            return -1;
        }
    }

    /** utime + stime of a {@code /proc/PID/stat} line, in seconds (the kernel's clock ticks are 1/100 s on Linux). */
    static double procCpuSeconds(String stat) {
        // The command name, in parentheses, may hold spaces: count the fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /**
     * Attempts the server has recorded as lost so far (their lease ran out with no heartbeat, or their pilot
     * ended), or -1 if unknown: each is a task run again.
     */
    double attemptsLost() {
        return metric("escadrille_attempts_lost_total");
    }

    /** The server process's open file descriptors (sockets included), or -1 if unknown. */
    long openFiles() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private double metric(String name) {
        try {
            var gauge = Pattern.compile("^" + name + "\\s+(\\S+)$", Pattern.MULTILINE).matcher(scrape());
            return gauge.find() ? Double.parseDouble(gauge.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Heap in use (MiB) as {@code jcmd GC.heap_info} says; after a full GC when {@code collect}; -1 if unknown. */
    long heapUsedMiB(String javaHome, boolean collect) {
        try {
            if (collect) {
                jcmd(javaHome, "GC.run");
            }
            var m = HEAP_USED.matcher(jcmd(javaHome, "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /**
     * Heap in use now (MiB) as the server's own metrics say ({@code /actuator/metrics/jvm.memory.used?tag=area:heap},
     * read with an admin's key): one small request, cheap enough to sample often; -1 if unknown.
     */
    long heapUsedMiBFromMetrics(String key) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                    .header("apikey", key).GET().build(), HttpResponse.BodyHandlers.ofString());
            var value = Pattern.compile("\"statistic\"\\s*:\\s*\"VALUE\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.eE+]+)").matcher(response.body());
            return response.statusCode() == 200 && value.find() ? (long) (Double.parseDouble(value.group(1)) / 1048576) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Starts a JDK Flight Recorder recording of the server ({@code settings=profile}) for {@code seconds}, into
     * {@code file}: where its CPU and allocations go in the window. Diagnostic only: a failure is printed.
     */
    void startRecording(String javaHome, Path file, int seconds) {
        try {
            String said = jcmd(javaHome, "JFR.start name=window settings=profile duration=" + seconds + "s filename=" + file);
            if (!said.contains("Started recording")) {
                System.out.println("scale: the recording did not start: " + said.strip());
            }
        } catch (IOException | InterruptedException e) {
            System.out.println("scale: the recording did not start: " + e);
        }
    }

    /** The classes taking most of the heap, for finding out what fills it. */
    void saveHeapHistogram(String javaHome, Path file) {
        try {
            String histogram = jcmd(javaHome, "GC.class_histogram");
            Files.writeString(file, String.join("\n", histogram.lines().limit(30).toList()) + "\n");
        } catch (IOException | InterruptedException e) {
            // diagnostic only
        }
    }

    private String jcmd(String javaHome, String command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(Path.of(javaHome, "bin", "jcmd").toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Duration.ofSeconds(30));
    }

    private HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(timeout);
        Path keyFile = dataDir.resolve("admin.key");
        if (Files.exists(keyFile)) {
            // metrics are for admins
            request.header("apikey", Files.readString(keyFile).strip());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String post(String path, String key, String json, int expected) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create(url() + path)).header("apikey", key)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        http.shutdownNow();
        database.drop().run();
    }

    static String sha256(String token) {
        return Sha256.of(token);
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
