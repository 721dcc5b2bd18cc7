package org.escadrille.bench.scale;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.escadrille.protocol.Sha256;

/**
 * {@code bench/run transfer} (issue 14, P5): one file of {@code --size} uploaded then downloaded through
 * Escadrille's CLI ({@code escadrille files put/get}, against a server process of its own) versus
 * {@code cp} of the same file on the same disk; with {@code --storage s3}, against s3proxy started here,
 * also versus {@code curl} PUT/GET straight to the S3 server (SigV4), side by side in each run. With local
 * storage, {@code curl} PUT/GET through the same server's files API (the endpoint and API key the CLI uses,
 * another path) runs beside them too: what a plain HTTP client reaches over loopback through the server, so
 * that the CLI's gap to {@code cp} splits into the server's and HTTP's share and the CLI's own. Reports the
 * median of {@code --runs} for each, the ratios to the targets (0.7× cp, 0.9× curl), on local storage also
 * curl's against {@code cp} and the CLI's against curl, and the server's peak heap (its
 * {@code jvm.memory.used} of the heap, sampled every 250 ms through Actuator while the run lasts).
 */
public final class TransferBench {
    private TransferBench() {
    }

    /** The local runs' second reference: a plain HTTP client through the same server, as the CLI goes. */
    static final String CURL_THROUGH_SERVER = "curl (through the server)";
    /**
     * The S3 runs' second reference for uploads: curl sending the file as the CLI does, a multipart upload of
     * parts of {@link #PART_BYTES}, {@link #PARTS_IN_FLIGHT} at once, then its completion; the first is curl's
     * single {@code PUT}, which the CLI does not do for a large file (its upload resumes; docs/storage.md).
     */
    static final String CURL_MULTIPART = "curl (multipart)";
    /** The part size the server hands the CLI for a 4 GiB upload, and the CLI's parts in flight. */
    static final long PART_BYTES = 64L * 1024 * 1024;
    static final int PARTS_IN_FLIGHT = 4;
    /** curl's file in the bench user's space: not the CLI's, so that neither replaces the other's. */
    private static final String CURL_PATH = "bench/curl-input.bin";

    /** One tool's times, in seconds, for one direction. */
    record Timing(String tool, String direction, List<Double> seconds) {
        double median() {
            var sorted = seconds.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        long size = bytes(options.getOrDefault("size", "4GiB"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        String storage = options.getOrDefault("storage", "local");
        if (!storage.equals("local") && !storage.equals("s3")) {
            throw new IllegalArgumentException("--storage is local or s3, not " + storage);
        }
        Path bench = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath();
        String javaHome = System.getProperty("java.home");
        // As a person runs it: through the launcher, with the JVM options it gives every command
        // (bench/README.md, "Transfers"); --cli JAR runs that jar as it is, to compare builds.
        List<String> escadrille = options.containsKey("cli")
                ? List.of(Path.of(javaHome, "bin", "java").toString(), "-jar", Path.of(options.get("cli")).toAbsolutePath().toString(), "files")
                : List.of(bench.getParent().resolve("escadrille").toString(), "files");
        Path out = bench.resolve("results").resolve("transfer");
        Path work = out.resolve("work-" + storage);
        deleteTree(work);
        Files.createDirectories(work);

        Path input = work.resolve("input.bin");
        System.out.printf(Locale.ROOT, "transfer: writing a %s file of random bytes (%s)%n", human(size), input);
        write(input, size);

        S3ProxyProcess s3 = null;
        var server = new ServerUnderTest(Files.createDirectories(work.resolve("server")));
        long peakHeap;
        var timings = new LinkedHashMap<String, Timing>();
        try {
            var settings = new ArrayList<String>();
            if (storage.equals("s3")) {
                s3 = new S3ProxyProcess(javaHome, Files.readString(bench.resolve("target/s3proxy-classpath.txt")).strip(),
                        Files.createDirectories(work.resolve("s3")));
                settings.addAll(s3.serverSettings());
            }
            server.start(javaHome, System.getProperty("java.class.path"), options.getOrDefault("heap", "1g"), settings);
            String key = server.adminKey();
            var heap = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleWithFixedDelay(() -> heap.accumulateAndGet(server.heapUsedMiBFromMetrics(key), Math::max),
                    0, 250, TimeUnit.MILLISECONDS);
            Map<String, String> env = Map.of("ESCADRILLE_URL", server.url(), "ESCADRILLE_API_KEY", key);
            // curl reads the key from a file (-H @FILE), so that it is not on a command line others can list.
            Path apiKeyHeader = work.resolve("apikey.header");
            Files.writeString(apiKeyHeader, "apikey: " + key + "\n");
            String curlUrl = server.url() + "/api/v1/files/" + CURL_PATH;
            // Once per build the launcher prepares its start (and builds a stale jar): not timed.
            exec(concat(escadrille, "ls"), env);
            // curl's multipart upload sends part files, cut once here (untimed): curl sends a whole file.
            List<Path> parts = s3 == null ? List.of() : CurlMultipart.split(input, PART_BYTES, Files.createDirectories(work.resolve("parts")));
            // curl's two transfers: straight to the bucket (S3), or as GatewayClient's upload and download go when the
            // storage hands out no URL of its own (local).
            Path got = work.resolve("got.bin");
            String s3Url = s3 == null ? null : s3.endpoint() + "/" + S3ProxyProcess.BUCKET + "/direct/input.bin";
            String curlTool = s3 != null ? "curl" : CURL_THROUGH_SERVER;
            Step curlUpload = s3 != null ? () -> curl(List.of("-o", "/dev/null", "-T", input.toString(), s3Url))
                    : () -> exec(List.of("curl", "-sS", "--fail", "-H", "@" + apiKeyHeader, "-H", "Content-Type: application/octet-stream",
                            "-o", "/dev/null", "-T", input.toString(), curlUrl), Map.of());
            Step curlDownload = s3 != null ? () -> curl(List.of("-o", got.toString(), s3Url))
                    : () -> exec(List.of("curl", "-sS", "--fail", "-H", "@" + apiKeyHeader,
                            "-H", "Accept: application/octet-stream, application/problem+json", "-o", got.toString(), curlUrl), Map.of());
            // The servers' JIT warms up on a first transfer, untimed: else whichever tool goes first in run 1 (the
            // CLI) meets a cold s3proxy or server, and its first S3 upload took 21-29 s against 15-20 s after.
            System.out.println("transfer: warming up the servers (untimed)");
            curlUpload.run();
            curlDownload.run();
            Files.delete(got);
            try {
                for (int run = 1; run <= runs; run++) {
                    System.out.printf(Locale.ROOT, "transfer: run %d of %d%n", run, runs);
                    Path copy = work.resolve("copy.bin");
                    time(timings, "cp", "copy", () -> exec(List.of("cp", input.toString(), copy.toString()), Map.of()));
                    Files.delete(copy);
                    time(timings, "escadrille", "upload", () -> exec(concat(escadrille, "put", input.toString(), "bench/input.bin"), env));
                    time(timings, "escadrille", "download", () -> exec(concat(escadrille, "get", "bench/input.bin", "--to", got.toString()), env));
                    if (Files.size(got) != size) {
                        throw new IllegalStateException("the CLI downloaded " + Files.size(got) + " bytes of " + size);
                    }
                    Files.delete(got);
                    time(timings, curlTool, "upload", curlUpload);
                    if (s3 != null) {
                        String multipartUrl = s3.endpoint() + "/" + S3ProxyProcess.BUCKET + "/direct/multipart.bin";
                        time(timings, CURL_MULTIPART, "upload", () -> CurlMultipart.upload(multipartUrl, parts, PARTS_IN_FLIGHT));
                    }
                    time(timings, curlTool, "download", curlDownload);
                    if (Files.size(got) != size) {
                        throw new IllegalStateException("curl downloaded " + Files.size(got) + " bytes of " + size);
                    }
                    // curl checks nothing itself: once, untimed, the bytes that went there and back are the input's.
                    if (run == 1 && !Sha256.of(got).equals(Sha256.of(input))) {
                        throw new IllegalStateException("the file curl downloaded is not the input (SHA-256)");
                    }
                    Files.delete(got);
                }
            } finally {
                sampler.shutdownNow();
            }
            peakHeap = heap.get();
        } finally {
            server.close();
            if (s3 != null) {
                s3.close();
            }
        }
        Files.deleteIfExists(input);
        deleteTree(work.resolve("parts"));
        report(out, storage, size, runs, timings, peakHeap);
    }

    static void report(Path out, String storage, long size, int runs, Map<String, Timing> timings, long peakHeap)
            throws IOException {
        String reference = storage.equals("s3") ? "curl" : "cp";
        double target = storage.equals("s3") ? 0.9 : 0.7;
        // A second column, the CLI against a second reference: on local storage curl through the same server (curl's
        // row, against cp, is the first's); on S3 curl's own multipart upload, when it ran.
        String second = storage.equals("local") ? CURL_THROUGH_SERVER : CURL_MULTIPART;
        boolean secondColumn = storage.equals("local") || timings.keySet().stream().anyMatch(key -> key.startsWith(second + "/"));
        var md = new StringBuilder();
        var csv = new StringBuilder("storage,size_bytes,runs,tool,direction,median_s,mib_per_s,speed_vs_" + reference
                + (secondColumn ? ",speed_vs_" + (storage.equals("local") ? "curl_through_server" : "curl_multipart") : "") + "\n");
        md.append(String.format(Locale.ROOT, "transfer: %s of random bytes, %s storage, median of %d runs; server's peak heap %d MiB%n%n",
                human(size), storage, runs, peakHeap));
        md.append("| tool | direction | median (s) | MiB/s | speed vs ").append(reference).append(" (target ≥ ")
                .append(target).append("×) |").append(secondColumn ? " speed vs " + second + " |" : "")
                .append("\n| --- | --- | ---: | ---: | ---: |").append(secondColumn ? " ---: |" : "").append('\n');
        for (var timing : timings.values()) {
            double seconds = timing.median();
            double mibPerS = size / 1048576.0 / seconds;
            Timing ref = timings.get(reference + "/" + (reference.equals("cp") ? "copy" : timing.direction()));
            String ratio = ref == null || timing.tool().equals(reference) ? "" : String.format(Locale.ROOT, "%.2f×", ref.median() / seconds);
            Timing curl = timings.get(second + "/" + timing.direction());
            String vsCurl = curl == null || !timing.tool().equals("escadrille") ? ""
                    : String.format(Locale.ROOT, "%.2f×", curl.median() / seconds);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.0f | %s |%s%n", timing.tool(), timing.direction(), seconds,
                    mibPerS, ratio, secondColumn ? " " + vsCurl + " |" : ""));
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%.3f,%.1f,%s%s%n", storage, size, runs, timing.tool(),
                    timing.direction(), seconds, mibPerS, ratio.replace("×", ""), secondColumn ? "," + vsCurl.replace("×", "") : ""));
        }
        if (storage.equals("local")) {
            md.append('\n').append(ceiling(timings)).append('\n');
        }
        System.out.print(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary-" + storage + ".md"), md.toString());
        Files.writeString(out.resolve("transfer-" + storage + ".csv"), csv.toString());
        System.out.println("transfer: results in " + out);
    }

    /**
     * The local runs' two splits of the CLI's gap, per direction: curl through the server against {@code cp}
     * (what HTTP over loopback through the server leaves), the CLI against that curl (what is the CLI's own).
     */
    static String ceiling(Map<String, Timing> timings) {
        Timing cp = timings.get("cp/copy");
        var line = new StringBuilder("the CLI's gap to cp, split at curl through the server:");
        for (String direction : List.of("upload", "download")) {
            Timing curl = timings.get(CURL_THROUGH_SERVER + "/" + direction);
            Timing cli = timings.get("escadrille/" + direction);
            if (cp == null || curl == null || cli == null) {
                continue;
            }
            line.append(String.format(Locale.ROOT, " %s curl/cp %.2f×, CLI/curl %.2f×;", direction,
                    cp.median() / curl.median(), curl.median() / cli.median()));
        }
        return line.substring(0, line.length() - 1) + ".";
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Times one step, after {@code sync} (untimed): every step starts with the earlier steps' writes on the disk, so
     * that none pays for another's writeback. Each step writes a whole file, and the page cache holds a few
     * gigabytes of dirty pages before it makes a writer wait for the disk: without it a step's time depended on
     * the steps before it (bench/README.md, "Transfers").
     */
    private static void time(Map<String, Timing> timings, String tool, String direction, Step step) throws Exception {
        exec(List.of("sync"), Map.of());
        long start = System.nanoTime();
        step.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        timings.computeIfAbsent(tool + "/" + direction, k -> new Timing(tool, direction, new ArrayList<>())).seconds().add(seconds);
        System.out.printf(Locale.ROOT, "  %-25s %-8s %.2f s%n", tool, direction, seconds);
    }

    private static void exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        var process = builder.start();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + status);
        }
    }

    private static void curl(List<String> arguments) throws IOException, InterruptedException {
        int status = S3ProxyProcess.Curl.run(arguments);
        if (status != 0) {
            throw new IllegalStateException("curl " + String.join(" ", arguments) + " exited with " + status);
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        var all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Random bytes (incompressible), written in 1 MiB blocks. */
    static void write(Path file, long size) throws IOException {
        var random = new SplittableRandom(14);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long value = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (value >>> (8 * b));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    /** 4GiB, 64MiB, 100MB, or a number of bytes. */
    static long bytes(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*([KMGT]i?B)?", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a size is e.g. 4GiB, 64MiB or 1000000, not " + text);
        }
        long n = Long.parseLong(m.group(1));
        if (m.group(2) == null) {
            return n;
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        long base = unit.contains("I") ? 1024 : 1000;
        int power = "KMGT".indexOf(unit.charAt(0)) + 1;
        long multiplier = 1;
        for (int i = 0; i < power; i++) {
            multiplier *= base;
        }
        return n * multiplier;
    }

    static String human(long bytes) {
        return bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB" : bytes / 1048576.0 + " MiB";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
