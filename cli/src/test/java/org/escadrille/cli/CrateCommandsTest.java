package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code escadrille get ID --crate} and {@code escadrille rerun CRATE.zip} against {@link FakeGateway}. */
class CrateCommandsTest {
    private static final String METADATA = "{\"@context\": \"https://w3id.org/ro/crate/1.1/context\", \"@graph\": []}";

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void getCrateWritesTheZipUnderTheExecutionsNameOrTheFileGiven() throws Exception {
        byte[] zip = zip(Map.of("ro-crate-metadata.json", METADATA));
        gateway.on("GET", "/api/v1/executions/e1/crate", FakeGateway.bytes(zip));

        CliRunner.Result byDefault = run("get", "e1", "--crate");
        CliRunner.Result named = run("get", "e1", "--crate", "-o", "kept/run.zip");

        assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
        assertThat(byDefault.out()).contains("e1-crate.zip").contains("escadrille rerun e1-crate.zip");
        assertThat(dir.resolve("e1-crate.zip")).hasBinaryContent(zip);
        assertThat(named.exitCode()).as(named.err()).isZero();
        assertThat(dir.resolve("kept/run.zip")).hasBinaryContent(zip);
        assertThat(dir.resolve("kept")).isDirectoryNotContaining("glob:**.part");
        assertThat(gateway.requests("GET", "/api/v1/files/")).isEmpty();
    }

    @Test
    void getCrateOfARunningExecutionSaysWhyAndWritesNothing() {
        gateway.on("GET", "/api/v1/executions/e1/crate", FakeGateway.problem(409,
                "{\"title\": \"Conflict\", \"status\": 409, \"detail\": \"execution e1 is still Running: its RO-Crate is"
                        + " written once it has ended (wait for it, or kill it)\"}"));

        CliRunner.Result result = run("get", "e1", "--crate");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("once it has ended");
        assertThat(dir.resolve("e1-crate.zip")).doesNotExist();
    }

    @Test
    void rerunOfACrateSendsItsMetadataForAReplay() throws Exception {
        Files.write(dir.resolve("e1-crate.zip"), zip(Map.of("ro-crate-metadata.json", METADATA, "outputs/big.bin", "x".repeat(10_000))));
        gateway.on("POST", "/api/v1/executions/replay",
                FakeGateway.json(201, ApiJson.execution("e2", "Ready", 1, 0, 0, "[]")));

        CliRunner.Result result = run("rerun", "e1-crate.zip");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Launched e2 (a replay of e1-crate.zip");
        var sent = gateway.requests("POST", "/api/v1/executions/replay");
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().bodyText()).isEqualTo(METADATA);
    }

    @Test
    void rerunOfAFileThatIsNoCrateIsBadInputAndSendsNothing() throws Exception {
        Files.writeString(dir.resolve("notes.zip"), "not a zip at all");
        Files.write(dir.resolve("empty.zip"), zip(Map.of("readme.txt", "hi")));

        CliRunner.Result notZip = run("rerun", "notes.zip");
        CliRunner.Result noMetadata = run("rerun", "empty.zip");
        CliRunner.Result failedOfCrate = run("rerun", "empty.zip", "--failed");

        assertThat(notZip.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(notZip.err()).contains("not a ZIP archive");
        assertThat(noMetadata.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noMetadata.err()).contains("no ro-crate-metadata.json");
        assertThat(failedOfCrate.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(gateway.requests()).isEmpty();
    }

    private CliRunner.Result run(String... args) {
        String[] withUrl = Stream.concat(Arrays.stream(args),
                Stream.of("--url", gateway.url().toString(), "--api-key", "k")).toArray(String[]::new);
        return CliRunner.run(CliRunner.environment(dir, Map.of()), withUrl);
    }

    private static byte[] zip(Map<String, String> entries) throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
