package org.escadrille.server.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport for a server on the login node: child processes and files of this machine. */
class LocalCommandsTest {
    @TempDir
    Path dir;

    private final LocalCommands commands = new LocalCommands();

    @Test
    void aCommandGivesItsExitCodeAndBothOutputs() throws IOException {
        CommandResult result = commands.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.message()).isEqualTo("err");
    }

    @Test
    void aCommandThatDoesNotFinishInTimeIsAnError() {
        assertThatThrownBy(() -> commands.run(List.of("sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOf(IOException.class).hasMessageContaining("did not answer");
    }

    @Test
    void aPrivateFileIsWrittenWithItsPermissions() throws IOException {
        String file = dir.resolve("token").toString();

        commands.write(file, "secret".getBytes(StandardCharsets.UTF_8), 0600);
        commands.write(file, "second".getBytes(StandardCharsets.UTF_8), 0600);

        assertThat(Files.readString(Path.of(file))).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file)))).isEqualTo("rw-------");
    }

    @Test
    void theTailOfAFileIsItsLastBytesAndAMissingFileHasNone() throws IOException {
        Path file = dir.resolve("pilot.out");
        Files.writeString(file, "first line\nlast line\n");

        assertThat(commands.tail(file.toString(), 10)).contains("last line\n");
        assertThat(commands.tail(dir.resolve("missing").toString(), 10)).isEmpty();
    }

    @Test
    void aCopyReplacesTheTarget() throws IOException {
        Path source = Files.writeString(dir.resolve("a.jar"), "new");
        Path target = Files.writeString(dir.resolve("b.jar"), "old");

        commands.copy(source, target.toString());

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(dir.resolve("b.jar.part")).doesNotExist();
    }
}
