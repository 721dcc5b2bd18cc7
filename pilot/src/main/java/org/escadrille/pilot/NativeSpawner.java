package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Starts a program with {@code posix_spawn} called from Java, sparing the JDK's own route (which
 * starts {@code jspawnhelper}, a second program, that then execs the command: two execs and a pipe
 * handshake per task) — half the cost of a tiny task's start, measured in {@code bench/README.md}.
 *
 * <p>The implementation, {@code PosixSpawner}, uses the Foreign Function and Memory API, final in
 * Java 22; the pilot itself runs on Java 17, so it is compiled apart ({@code src/main/java22}) and
 * loaded only on Java 22 or later, on Linux, with a C library that has every call it needs. Elsewhere,
 * or with {@code -Descadrille.pilot.spawn=jdk}, {@link #load()} is empty and the pilot uses
 * {@link ProcessBuilder}.
 */
interface NativeSpawner {
    /** The system property that turns the native route off ({@code jdk}). */
    String PROPERTY = "escadrille.pilot.spawn";

    /**
     * Starts {@code argv} (its first word an absolute path: no {@code PATH} search) in {@code dir},
     * with exactly {@code environment}, stdin from {@code /dev/null}, stdout and stderr truncated into
     * the two files, every signal at its default and none blocked, and no descriptor of the pilot's
     * but those three. The process must be waited for ({@link Process#waitFor}) to be reaped.
     *
     * @throws IOException when it cannot start (with the C library's reason): the caller falls back
     */
    Process spawn(List<String> argv, Map<String, String> environment, Path dir, Path stdout, Path stderr)
            throws IOException;

    /**
     * What the kernel counted for a spawned process once it has been reaped ({@code wait4}). Not its
     * {@code ru_maxrss}: a child spawned from the pilot's memory ({@code CLONE_VM}) inherits the
     * pilot's high-water mark at its exec, so the kernel would charge every task the JVM's size.
     */
    interface Usage {
        /** User plus system CPU seconds of the process and of the descendants it waited for. */
        double cpuSeconds();
    }

    /** The native spawner of this JVM, or empty where it cannot run (then the JDK's route is used). */
    static Optional<NativeSpawner> load() {
        return Loaded.SPAWNER;
    }

    /** Loads once per JVM, and says once why not. */
    final class Loaded {
        private static final Logger LOG = Logger.getLogger(NativeSpawner.class.getName());
        static final Optional<NativeSpawner> SPAWNER = tryLoad();

        private Loaded() {
        }

        private static Optional<NativeSpawner> tryLoad() {
            if ("jdk".equals(System.getProperty(PROPERTY))) {
                return Optional.empty();
            }
            if (Runtime.version().feature() < 22 || !System.getProperty("os.name", "").startsWith("Linux")) {
                return Optional.empty();
            }
            try {
                return Optional.of((NativeSpawner) Class.forName("org.escadrille.pilot.PosixSpawner")
                        .getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                LOG.info(() -> "starting tasks through the JDK (" + cause + ")");
                return Optional.empty();
            }
        }
    }
}
