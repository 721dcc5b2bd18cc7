package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private CliRunner.Result run(String... args) {
        return CliRunner.run(CliRunner.environment(dir, Map.of()), args);
    }

    @Test
    void everyCommandOfTheFoundationIsRegistered() {
        CliRunner.Result result = run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("serve", "run", "status", "logs", "get", "apps", "kill", "rm", "stop");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRunner.Result result = run();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).startsWith("Missing a command");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRunner.Result result = run("status", "--colour");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("Unknown option: '--colour'");
    }

    @Test
    void aBadIterationIsAUsageError() {
        CliRunner.Result result = run("run", "pi", "--iterate", "zip");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("--iterate");
    }

    @Test
    void runWithoutAnAppIsAUsageError() {
        CliRunner.Result result = run("run");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("Missing required parameter: 'APP'");
    }

    @Test
    void everyClientCommandTakesTheGlobalOptionsAndVersion() {
        for (String command : new String[] {"run", "status", "logs", "get", "apps", "kill", "rm", "stop"}) {
            CliRunner.Result help = run(command, "--help");
            assertThat(help.out()).as(command).contains("--url=URL", "--api-key=KEY", "--data-dir=DIR", "--embedded",
                    "--json", "--version");
        }
        assertThat(run("status", "--version").out()).startsWith("escadrille ");
    }

    @Test
    void runHelpDocumentsRepeatedNamesAsLists() {
        assertThat(run("run", "--help").out()).contains("a repeated name is a list").contains("name=@path");
    }
}
