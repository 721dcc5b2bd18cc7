package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.escadrille.cli.embedded.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escadrille run APP} with a required input left out is refused before anything runs, naming
 * the input, against a real server: bosh lets an invocation that is empty after defaults through, and
 * {@code escadrille run sha256sum} used to hash empty standard input and finish as if all were well.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@Tag("e2e")
class RunRequiredInputsTest {
    /** Each built-in application and its inputs that are neither optional nor defaulted. */
    private static final Map<String, String> REQUIRED = Map.of("pi", "events", "dose", "events", "gzip", "input",
            "sha256sum", "input", "imagemagick-resize", "input");

    @TempDir
    static Path dir;

    private static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = EmbeddedServer.start(dir.resolve("data"), 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eachBuiltInApplicationWithoutItsRequiredInputIsRefusedNamingIt() {
        REQUIRED.forEach((app, input) -> {
            var result = run("run", app, "--no-wait");

            assertThat(result.exitCode()).as("%s: %s", app, result.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(result.err()).as(app).contains("inputs." + input + ": \"" + input + "\" is required but missing");
            assertThat(result.out()).as(app).isEmpty();
        });
    }

    @Test
    void anOptionalInputAloneDoesNotStandInForTheRequiredOne() {
        var result = run("run", "sha256sum", "tag=true", "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("inputs.input");
    }

    private static CliRunner.Result run(String... args) {
        String[] withServer = new String[args.length + 4];
        System.arraycopy(args, 0, withServer, 0, args.length);
        withServer[args.length] = "--url";
        withServer[args.length + 1] = server.url().toString();
        withServer[args.length + 2] = "--api-key";
        withServer[args.length + 3] = server.apiKey();
        return CliRunner.run(CliRunner.environment(dir, Map.of()), withServer);
    }
}
