package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.escadrille.cli.api.GatewayJson;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code escadrille get} against {@link FakeGateway}, a stand-in at the HTTP boundary that records every
 * request, so that each reply the command must handle is one line of the test.
 */
class GetCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void downloadsEveryOutputKeepingItsPathBelowTheOutputDirectory() throws Exception {
        givenOutputs(ApiJson.output("executions/e1/seed=1/hist.csv", 3, Sha256.of("1,2"))
                + "," + ApiJson.output("executions/e1/seed=2/hist.csv", 3, Sha256.of("3,4")));
        gateway.on("GET", "/api/v1/files/executions/e1/seed=1/hist.csv", FakeGateway.bytes(bytes("1,2")))
                .on("GET", "/api/v1/files/executions/e1/seed=2/hist.csv", FakeGateway.bytes(bytes("3,4")));

        CliRunner.Result result = run("get", "e1", "--to", "out");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("2 outputs (6 B) in ./out/\n");
        assertThat(dir.resolve("out/seed=1/hist.csv")).hasContent("1,2");
        assertThat(dir.resolve("out/seed=2/hist.csv")).hasContent("3,4");
        assertThat(dir.resolve("out/seed=1")).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void aFileWhoseChecksumDiffersIsNotKeptAndExitsWithThree() throws Exception {
        givenOutputs(ApiJson.output("executions/e1/result.json", 2, Sha256.of("{}")));
        gateway.on("GET", "/api/v1/files/executions/e1/result.json", FakeGateway.bytes(bytes("[]")));

        CliRunner.Result result = run("get", "e1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.SERVER_PROBLEM);
        assertThat(result.err()).contains("output executions/e1/result.json arrived with SHA-256");
        assertThat(dir.resolve("escadrille-results/e1")).isEmptyDirectory();
    }

    @Test
    void anOutputPathLeavingTheTargetIsRefusedBeforeAnyDownload() throws Exception {
        givenOutputs(ApiJson.output("executions/e1/ok.txt", 2, Sha256.of("ok")) + ","
                + ApiJson.output("executions/e1/../../../evil.sh", 2, Sha256.of("rm")));

        CliRunner.Result result = run("get", "e1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.SERVER_PROBLEM);
        assertThat(result.err()).contains("refusing output path 'executions/e1/../../../evil.sh'");
        assertThat(gateway.requests("GET", "/api/v1/files/")).isEmpty();
        assertThat(dir.resolve("evil.sh")).doesNotExist();
    }

    @Test
    void aFileAlreadyThereWithTheRightChecksumIsNotDownloadedAgain() throws Exception {
        givenOutputs(ApiJson.output("executions/e1/result.json", 2, Sha256.of("{}")));
        Files.createDirectories(dir.resolve("escadrille-results/e1"));
        Files.writeString(dir.resolve("escadrille-results/e1/result.json"), "{}");

        CliRunner.Result result = run("get", "e1", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("GET", "/api/v1/files/")).isEmpty();
        JsonNode files = GatewayJson.mapper().readTree(result.out());
        assertThat(files.get(0).get("path").asString()).isEqualTo("executions/e1/result.json");
        assertThat(files.get(0).get("sha256").asString()).isEqualTo(Sha256.of("{}"));
    }

    @Test
    void anExecutionWithoutOutputsSaysSo() {
        givenOutputs("");

        CliRunner.Result result = run("get", "e1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("e1 has no outputs\n");
    }

    @Test
    void reportWritesTheExecutionsReportInTheWorkingDirectoryAndDownloadsNoOutput() throws Exception {
        gateway.on("GET", "/api/v1/executions/e1/report", FakeGateway.text("<!DOCTYPE html><p>report</p>", Map.of()));

        CliRunner.Result result = run("get", "e1", "--report");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dir.resolve("e1-report.html")).hasContent("<!DOCTYPE html><p>report</p>");
        assertThat(result.out()).isEqualTo("report of e1 (28 B) in ./e1-report.html\n");
        assertThat(gateway.requests("GET", "/api/v1/files/")).isEmpty();
        assertThat(dir.resolve("e1-report.html.part")).doesNotExist();
    }

    @Test
    void reportWithOutputWritesTheNamedFile() {
        gateway.on("GET", "/api/v1/executions/e1/report", FakeGateway.text("<html></html>", Map.of()));

        CliRunner.Result result = run("get", "e1", "--report", "-o", "reports/run.html");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dir.resolve("reports/run.html")).hasContent("<html></html>");
    }

    @Test
    void theReportOfAnExecutionNotFoundSaysSoAndWritesNothing() {
        gateway.on("GET", "/api/v1/executions/e9/report", FakeGateway.problem(404,
                "{\"title\": \"Not found\", \"status\": 404, \"detail\": \"no execution 'e9'\"}"));

        CliRunner.Result result = run("get", "e9", "--report");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("no execution 'e9'");
        assertThat(dir.resolve("e9-report.html")).doesNotExist();
    }

    @Test
    void anOutputFileWithoutReportIsAMistakeNamedBeforeAnyRequest() {
        CliRunner.Result result = run("get", "e1", "-o", "x.html");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("--report");
        assertThat(gateway.requests("GET", "/api/v1/")).isEmpty();
    }

    private void givenOutputs(String outputs) {
        gateway.on("GET", "/api/v1/executions/e1",
                FakeGateway.json(200, ApiJson.execution("e1", "Finished", 2, 2, 0, "[" + outputs + "]")));
    }

    private CliRunner.Result run(String... args) {
        String[] withUrl = Stream.concat(Arrays.stream(args),
                Stream.of("--url", gateway.url().toString(), "--api-key", "k")).toArray(String[]::new);
        return CliRunner.run(CliRunner.environment(dir, Map.of()), withUrl);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
