package org.escadrille.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.EscadrilleServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real server inside the benchmark's JVM, as the server's tests start one: the whole application
 * on a random port with its own data directory. Its log goes to {@code server.log} in that directory.
 */
final class BenchServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final String url;

    private BenchServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
        this.url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** Starts a server on a fresh {@code dataDir} (emptied first) with these settings on top of the defaults. */
    static BenchServer start(Path dataDir, Map<String, String> settings) throws IOException {
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        var properties = new LinkedHashMap<String, String>();
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("escadrille.data-dir", dataDir.toString());
        properties.put("logging.file.name", dataDir.resolve("server.log").toString());
        properties.put("logging.threshold.console", "OFF");
        // One person's machine: the benchmarks run where bubblewrap is missing too (dispatch's
        // escadrille-sandboxed row asks for the sandbox).
        properties.put("escadrille.security.single-user", "true");
        properties.putAll(settings);
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        var context = new SpringApplicationBuilder(EscadrilleServer.class).run(args.toArray(String[]::new));
        return new BenchServer(context, dataDir);
    }

    String url() {
        return url;
    }

    Path dataDir() {
        return dataDir;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A client holding the first admin's key, which the server left in its data directory. */
    Api admin() {
        try {
            return new Api(url, Files.readString(dataDir.resolve("admin.key")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PATH of tasks, as the server gives its local pilots: the built-in tools first, then the JDK's. */
    String taskPath() {
        return dataDir.resolve("tools").resolve("bin") + ":" + Path.of(System.getProperty("java.home"), "bin")
                + ":/usr/bin:/bin";
    }

    /** The pilot's jar, which the server bundles, copied out into the data directory. */
    Path pilotJar() throws IOException {
        Path target = dataDir.resolve("bench-pilot").resolve("escadrille-pilot.jar");
        if (Files.exists(target)) {
            return target;
        }
        try (InputStream in = EscadrilleServer.class.getResourceAsStream("/bundled/escadrille-pilot.jar")) {
            if (in == null) {
                throw new IllegalStateException("the server jar bundles no pilot: build with ./mvnw package");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Override
    public void close() {
        context.close();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
