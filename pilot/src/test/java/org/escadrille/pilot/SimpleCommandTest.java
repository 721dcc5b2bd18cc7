package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which command lines the pilot may run without a shell, and what it then executes. */
class SimpleCommandTest {

    @TempDir
    Path temp;

    @Test
    void wordsSeparatedByBlanksAreSplitAsTheShellWould() {
        assertThat(SimpleCommand.words("/bin/true")).contains(List.of("/bin/true"));
        assertThat(SimpleCommand.words("  echo \thello   world\t"))
                .contains(List.of("echo", "hello", "world"));
        assertThat(SimpleCommand.words("dd if=in.dat of=out.dat bs=1M"))
                .contains(List.of("dd", "if=in.dat", "of=out.dat", "bs=1M"));
        assertThat(SimpleCommand.words("tool -x --level=3 a,b:c +1 user@host 50% ./data/run_1.txt"))
                .contains(List.of("tool", "-x", "--level=3", "a,b:c", "+1", "user@host", "50%", "./data/run_1.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "\t",
            "echo 'a b'", "echo \"a\"", "echo $HOME", "echo `id`", "echo a\\ b",
            "ls *.txt", "ls a?", "ls [ab]", "ls ~", "ls ~/x", "echo a # comment",
            "echo a > out.txt", "cat < in.txt", "true | false", "true && false", "true; false", "sleep 1 &",
            "(true)", "echo {a,b}", "! false", "echo a\nexit 1", "echo a\rb", "echo é",
            "A=1 env", "PATH=/tmp/evil ls",
            "cd /tmp", "exit 3", "export A", "exec sleep 1", "set -e", "unset A", ". ./script", ": nothing",
            "eval true", "wait", "trap true TERM", "ulimit -v 100", "umask 077", "readonly A", "shift",
            "times", "alias a", "if true", "then", "for a", "while true", "until false", "case a", "do", "done",
            "fi", "esac", "read line", "return 1", "command -v ls", "time sleep 1"})
    void anythingTheShellWouldInterpretIsRefused(String commandLine) {
        assertThat(SimpleCommand.words(commandLine)).isEmpty();
    }

    @Test
    void aBareProgramIsFoundThroughTheTasksPathNotThePilots() throws IOException {
        Path first = Files.createDirectories(temp.resolve("first"));
        Path second = Files.createDirectories(temp.resolve("second"));
        Files.createFile(first.resolve("tool"));
        Path tool = executable(second.resolve("tool"));

        var argv = SimpleCommand.argv("tool -v x", Map.of("PATH", first + ":" + second), temp);

        // The file in the first directory is not executable: the shell would skip it too.
        assertThat(argv).contains(List.of(tool.toString(), "-v", "x"));
    }

    @Test
    void aProgramWithASlashIsTakenFromTheWorkingDirectory() throws IOException {
        Path script = executable(Files.createDirectories(temp.resolve("bin")).resolve("run.sh"));

        assertThat(SimpleCommand.argv("bin/run.sh a", Map.of(), temp)).contains(List.of(script.toString(), "a"));
        assertThat(SimpleCommand.argv("/bin/sh -x", Map.of(), temp)).contains(List.of("/bin/sh", "-x"));
    }

    @Test
    void theShellKeepsWhatItWouldNotFindOrCouldNotExecute() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Files.createFile(bin.resolve("not-executable"));
        var env = Map.of("PATH", bin + ":/usr/bin:/bin");

        assertThat(SimpleCommand.argv("no-such-program-xyz", env, temp)).isEmpty();
        assertThat(SimpleCommand.argv("not-executable", env, temp)).isEmpty();
        assertThat(SimpleCommand.argv("bin/not-executable", env, temp)).isEmpty();
        assertThat(SimpleCommand.argv("bin", env, temp)).isEmpty();
        assertThat(SimpleCommand.argv("./missing", env, temp)).isEmpty();
        // Without PATH the shell searches its default path; a relative entry depends on its directory.
        assertThat(SimpleCommand.argv("true", Map.of(), temp)).isEmpty();
        assertThat(SimpleCommand.argv("true", Map.of("PATH", "bin:/usr/bin:/bin"), temp)).isEmpty();
        assertThat(SimpleCommand.argv("true", Map.of("PATH", ":/usr/bin:/bin"), temp)).isEmpty();
    }

    private static Path executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
