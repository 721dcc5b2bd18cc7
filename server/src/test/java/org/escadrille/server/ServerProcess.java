package org.escadrille.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The server as a separate process, so that a fault test can SIGKILL it and start it again on the
 * same port, data directory and database. Its local pilots are its children and outlive it, as they
 * would on a real machine.
 */
final class ServerProcess implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final Map<String, String> properties;
    private Process process;

    ServerProcess(Path dataDir, Map<String, String> properties) {
        this.dataDir = dataDir;
        this.port = freePort();
        this.properties = properties;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path dataDir() {
        return dataDir;
    }

    ApiClient admin() {
        try {
            return new ApiClient(url(), Files.readString(dataDir.resolve("admin.key")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server and waits until it answers. */
    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), EscadrilleServer.class.getName(),
                "--server.port=" + port, "--escadrille.data-dir=" + dataDir));
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()))
                .start();
        var http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited; see " + dataDir.resolve("server.log"));
            }
            // Readiness, not liveness: it turns UP once the startup runners (first admin, built-in apps) are done.
            var response = http.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        });
    }

    /** SIGKILL: no shutdown hook, no goodbye; its pilots live on. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The pilot processes working for this data directory, whichever server started them. */
    List<ProcessHandle> pilots() {
        String marker = dataDir.resolve("pilots").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("escadrille-pilot.jar") && c.contains(marker)).orElse(false))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (ProcessHandle pilot : pilots()) {
            pilot.destroyForcibly();
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
