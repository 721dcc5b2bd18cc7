package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./escadrille} launcher as a person runs it, on the jar this build packaged (hence run by
 * Failsafe, after {@code package}): a command starts from the extracted layout and class-data archive
 * the launcher keeps in the user's cache, and still runs when that cache cannot be written.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@Tag("e2e")
class LauncherIT {
    private static final Path REPOSITORY = Path.of(System.getProperty("escadrille.repo.root", "..")).toAbsolutePath();

    @TempDir
    Path temp;
    private Path launcher;

    /** A repository of its own (the launcher and the packaged jar, no sources): never rebuilt under the test. */
    @BeforeEach
    void copyLauncherAndJar() throws IOException {
        Path root = Files.createDirectories(temp.resolve("repository"));
        launcher = Files.copy(REPOSITORY.resolve("escadrille"), root.resolve("escadrille"));
        Path jar = Files.createDirectories(root.resolve("cli/target")).resolve("escadrille.jar");
        Files.copy(REPOSITORY.resolve("cli/target/escadrille.jar"), jar);
    }

    @Test
    void aCommandStartsFromTheCachedLayoutWithItsClassesFromTheArchive() throws Exception {
        Path cache = temp.resolve("cache");

        var first = launch(cache, "", "--version");
        var second = launch(cache, "-Xlog:class+load", "--version");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("escadrille ");
        assertThat(first.err()).contains("preparing a faster start");
        try (var layouts = Files.list(cache.resolve("escadrille"))) {
            Path layout = layouts.filter(p -> p.getFileName().toString().startsWith("cli-")).findFirst().orElseThrow();
            assertThat(layout.resolve("escadrille.jar")).exists();
            assertThat(layout.resolve("escadrille-cli.jsa")).exists();
        }
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.err()).as("prepared once, and quiet").isEmpty();
        assertThat(second.out()).containsPattern("org\\.escadrille\\.cli\\.Main source: shared objects file")
                .contains(first.out().lines().findFirst().orElseThrow());
    }

    @Test
    void aCommandRunsFromTheJarWhenTheCacheCannotBeWritten() throws Exception {
        Path notADirectory = Files.writeString(temp.resolve("cache-is-a-file"), "");

        var run = launch(notADirectory, "", "--version");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("escadrille ");
        assertThat(run.err()).isEmpty();
    }

    private record Run(int status, String out, String err) {
    }

    private Run launch(Path cache, String javaOptions, String... arguments) throws Exception {
        var command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(Map.of("XDG_CACHE_HOME", cache.toString(),
                "JAVA_HOME", System.getProperty("java.home"), "ESCADRILLE_JAVA_OPTS", javaOptions));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        var process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the launcher ended").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
