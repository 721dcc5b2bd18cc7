package org.escadrille.bench.scale;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * An S3 server on loopback for a benchmark: s3proxy over a directory of this disk, in a process of its
 * own (its classpath is {@code bench/target/s3proxy-classpath.txt}), with requests signed by one key,
 * as the server's tests run it ({@code S3Server}). One bucket, created at start.
 */
final class S3ProxyProcess implements AutoCloseable {
    static final String ACCESS_KEY = "escadrille-bench";
    static final String SECRET_KEY = "escadrille-bench-secret";
    static final String REGION = "us-east-1";
    static final String BUCKET = "bench";

    private final int port;
    private final Process process;

    S3ProxyProcess(String javaHome, String classpath, Path directory) throws IOException, InterruptedException {
        Path data = Files.createDirectories(directory.resolve("data"));
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var settings = new Properties();
        settings.setProperty("s3proxy.endpoint", endpoint());
        settings.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        settings.setProperty("s3proxy.identity", ACCESS_KEY);
        settings.setProperty("s3proxy.credential", SECRET_KEY);
        settings.setProperty("jclouds.provider", "filesystem-nio2");
        settings.setProperty("jclouds.filesystem.basedir", data.toString());
        settings.setProperty("jclouds.identity", "unused");
        settings.setProperty("jclouds.credential", "unused");
        Path file = directory.resolve("s3proxy.properties");
        try (var out = Files.newOutputStream(file)) {
            settings.store(out, "the S3 server of a benchmark");
        }
        process = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-Xmx512m", "-cp", classpath,
                "org.gaul.s3proxy.Main", "--properties", file.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("s3proxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited; see " + directory.resolve("s3proxy.log"));
            }
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("s3proxy did not listen within 60 s");
                }
                Thread.sleep(100);
            }
        }
        int status = Curl.run(List.of("-o", "/dev/null", "-X", "PUT", endpoint() + "/" + BUCKET));
        if (status != 0) {
            // The caller gets no object to close: the process goes here.
            close();
            throw new IllegalStateException("could not create the bucket (curl exit " + status + ")");
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's settings for this bucket. */
    List<String> serverSettings() {
        return List.of("--escadrille.storage.kind=s3", "--escadrille.storage.s3.endpoint=" + endpoint(),
                "--escadrille.storage.s3.region=" + REGION, "--escadrille.storage.s3.bucket=" + BUCKET,
                "--escadrille.storage.s3.prefix=escadrille/", "--escadrille.storage.s3.path-style=true",
                "--escadrille.storage.s3.access-key=" + ACCESS_KEY, "--escadrille.storage.s3.secret-key=" + SECRET_KEY);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** curl with this server's signature (AWS SigV4), as a person would script it. */
    static final class Curl {
        private Curl() {
        }

        /** curl and the options that sign its requests for this server. */
        static List<String> command() {
            return List.of("curl", "-sS", "-f", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                    "--aws-sigv4", "aws:amz:" + REGION + ":s3", "--user", ACCESS_KEY + ":" + SECRET_KEY);
        }

        static int run(List<String> arguments) throws IOException, InterruptedException {
            var command = new java.util.ArrayList<>(command());
            command.addAll(arguments);
            return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor();
        }
    }
}
