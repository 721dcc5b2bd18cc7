package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.escadrille.cli.embedded.EmbeddedServer;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a newcomer does first, for real: {@code escadrille run --embedded pi events=100000000} starts
 * a server in-process with real pilot processes, runs pi, downloads the result; then
 * {@code escadrille status --json}, with no server running, reads the same data directory.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@Tag("e2e")
class EmbeddedEndToEndTest {

    @Test
    void runEmbeddedThenStatusShowTheFinishedExecutionAndItsCheckedResult(@TempDir Path workingDir) throws Exception {
        var env = CliRunner.environment(workingDir, Map.of("ESCADRILLE_DATA_DIR", workingDir.resolve("data").toString()),
                dataDir -> {
                    EmbeddedServer server = EmbeddedServer.start(dataDir, 2);
                    return new Endpoint(server.url(), server.apiKey(), server);
                });

        var run = CliRunner.run(env, "run", "--embedded", "pi", "events=100000000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var estimate = Pattern.compile("\"estimate\": ?([0-9.]+)").matcher(run.out());
        assertThat(estimate.find()).as(run.out()).isTrue();
        assertThat(Double.parseDouble(estimate.group(1))).isCloseTo(Math.PI, Offset.offset(0.001));

        var status = CliRunner.run(env, "status", "--json");

        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode execution = JsonMapper.builder().build().readTree(status.out()).get(0);
        assertThat(execution.path("status").asString()).isEqualTo("Finished");
        assertThat(execution.path("cpuSeconds").asDouble()).isPositive();
        JsonNode output = execution.path("outputs").get(0);
        Path downloaded = workingDir.resolve("escadrille-results").resolve(execution.path("id").asString()).resolve("pi.json");
        assertThat(downloaded).exists();
        String sha = Sha256.of(downloaded);
        assertThat(output.path("sha256").asString()).isEqualTo(sha);
    }
}
