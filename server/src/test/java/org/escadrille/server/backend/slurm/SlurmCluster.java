package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.backend.remote.CommandResult;
import org.escadrille.server.backend.remote.LocalCommands;
import org.junit.jupiter.api.Assumptions;

/**
 * The SLURM cluster of this machine, which {@code .ci/slurm-up} starts: tests that need it are skipped when
 * it is absent, unless {@code ESCADRILLE_TEST_SLURM=1} says it must be there (CI), in which case they fail.
 */
final class SlurmCluster {
    /** Asked once per test run: a cluster that does not answer makes sinfo wait for its timeout. */
    private static String absence;
    private static boolean asked;

    private SlurmCluster() {
    }

    static synchronized void assumeRunning() {
        if (!asked) {
            absence = problem();
            asked = true;
        }
        if (absence == null) {
            return;
        }
        String message = "no SLURM cluster answers here (" + absence + "); start one with: sudo .ci/slurm-up";
        if ("1".equals(System.getenv("ESCADRILLE_TEST_SLURM"))) {
            fail(message + " (ESCADRILLE_TEST_SLURM=1 requires it)");
        }
        Assumptions.abort(message);
    }

    private static String problem() {
        try {
            CommandResult nodes = new LocalCommands().run(List.of("sinfo", "--noheader", "--format=%t"), Duration.ofSeconds(10));
            if (!nodes.succeeded()) {
                return nodes.message();
            }
            return nodes.stdout().isBlank() ? "sinfo lists no node" : null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    static CommandResult run(String... command) throws IOException {
        return new LocalCommands().run(List.of(command), Duration.ofSeconds(20));
    }

    /** Settings of a site on this cluster whose files go under {@code workDir}, with small pilot JVMs. */
    static Map<String, String> settings(Path workDir) {
        var settings = new HashMap<String, String>();
        settings.put("work-dir", workDir.toString());
        settings.put("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        settings.put("java-options", "-Xmx64m -XX:TieredStopAtLevel=1 -Xshare:auto");
        settings.put("memory-mb", "256");
        return settings;
    }

    /** The pilot jar the server bundles, copied to {@code dir}. */
    static Path pilotJar(Path dir) throws IOException {
        Path jar = dir.resolve("bundled-pilot.jar");
        try (InputStream in = SlurmCluster.class.getResourceAsStream("/bundled/escadrille-pilot.jar")) {
            assertThat(in).as("the pilot jar bundled in the server (build with ./mvnw verify)").isNotNull();
            Files.copy(in, jar);
        }
        return jar;
    }

    /** squeue's view of one pilot of the site, in the given format, or an empty string. */
    static String squeue(String site, String pilotId, String format) throws IOException {
        String comment = SlurmOutput.comment(site, pilotId);
        for (String line : run("squeue", "--noheader", "--me", "--format=%k|" + format).stdout().split("\n")) {
            if (line.startsWith(comment + "|")) {
                return line.substring(comment.length() + 1).strip();
            }
        }
        return "";
    }
}
