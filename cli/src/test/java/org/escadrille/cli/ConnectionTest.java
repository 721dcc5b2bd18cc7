package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Where commands connect, with {@link FakeGateway} standing in for the server and a fake starter
 * standing in for the embedded one, which unit tests never start.
 */
class ConnectionTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @BeforeEach
    void routes() {
        gateway.on("GET", "/api/v1/executions", FakeGateway.json(200, "[]"));
    }

    private static GlobalOptions options(String... args) {
        GlobalOptions options = new GlobalOptions();
        new CommandLine(CommandLine.Model.CommandSpec.create()
                .addMixin("global", CommandLine.Model.CommandSpec.forAnnotatedObject(options))).parseArgs(args);
        return options;
    }

    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        CliEnvironment env = CliRunner.environment(dir, Map.of("ESCADRILLE_URL", "http://env:1",
                "ESCADRILLE_API_KEY", "env-key", "ESCADRILLE_DATA_DIR", "data"));

        ConnectionSettings fromOptions = ConnectionSettings.resolve(
                options("--url", "http://option:2", "--api-key", "option-key", "--data-dir", "/d"), env);
        ConnectionSettings fromEnv = ConnectionSettings.resolve(options(), env);
        ConnectionSettings defaults = ConnectionSettings.resolve(options(), CliRunner.environment(dir, Map.of()));

        assertThat(fromOptions).isEqualTo(new ConnectionSettings(URI.create("http://option:2"), true, "option-key",
                Path.of("/d"), false));
        assertThat(fromEnv).isEqualTo(new ConnectionSettings(URI.create("http://env:1"), true, "env-key",
                dir.resolve("data"), false));
        assertThat(defaults.urlExplicit()).isFalse();
        assertThat(defaults.dataDir()).isEqualTo(dir.resolve("home/.escadrille"));
        assertThat(defaults.apiKey()).isNull();
    }

    @Test
    void withoutAKeyTheAdminKeyOfTheDataDirectoryIsUsed() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/admin.key"), "admin-secret\n");

        CliRunner.Result result = CliRunner.run(CliRunner.environment(dir, Map.of()),
                "status", "--url", gateway.url().toString(), "--data-dir", "data");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests()).singleElement()
                .satisfies(request -> assertThat(request.apiKey()).isEqualTo("admin-secret"));
    }

    @Test
    void anExplicitUrlWhereNothingListensExitsWithThreeAndNoFallback() {
        URI closed = CliRunner.closedUrl();

        CliRunner.Result result = CliRunner.run(CliRunner.environment(dir, Map.of("ESCADRILLE_URL", closed.toString())),
                "status");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.SERVER_PROBLEM);
        assertThat(result.err()).isEqualTo("error: no server at " + closed
                + " (connection refused); start it with ./escadrille serve, or use --embedded\n");
    }

    @Test
    void theDefaultUrlWhereNothingListensFallsBackToTheEmbeddedMode() {
        AtomicReference<Path> startedOn = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        CliEnvironment env = CliRunner.environment(dir, Map.of(), dataDir -> {
            startedOn.set(dataDir);
            return new Endpoint(gateway.url(), "embedded-key", () -> closed.set(true));
        });

        CliRunner.Result result = CliRunner.run(env, "status", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("[ ]\n");
        assertThat(result.err()).isEqualTo("no server at " + env.defaultUrl()
                + "; using the data in ~/.escadrille directly\n");
        assertThat(startedOn.get()).isEqualTo(dir.resolve("home/.escadrille"));
        assertThat(gateway.requests()).singleElement()
                .satisfies(request -> assertThat(request.apiKey()).isEqualTo("embedded-key"));
        assertThat(closed).isTrue();
    }

    @Test
    void theEmbeddedOptionStartsAGatewayForTheCommandAndStopsItAfter() {
        AtomicBoolean closed = new AtomicBoolean();
        CliEnvironment env = CliRunner.environment(dir, Map.of(),
                dataDir -> new Endpoint(gateway.url(), "embedded-key", () -> closed.set(true)));

        CliRunner.Result result = CliRunner.run(env, "status", "--embedded", "--data-dir", "data");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(closed).isTrue();
    }

    @Test
    void aMalformedUrlIsBadUsage() {
        CliRunner.Result result = CliRunner.run(CliRunner.environment(dir, Map.of("ESCADRILLE_URL", "localhost:8080")),
                "apps");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("ESCADRILLE_URL localhost:8080 is not an http(s) URL");
    }
}
