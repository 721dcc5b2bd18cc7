package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code escadrille run} against {@link FakeGateway}, a stand-in at the HTTP boundary that records every
 * request, so that each reply the command must handle is one line of the test.
 */
class RunCommandTest {
    private static final String RESULT = "{\"inside\": 785, \"total\": 1000, \"estimate\": 3.14}\n";

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void launchesFollowsDownloadsAndSummarises() throws Exception {
        // given an execution that runs for two polls, then finishes with one JSON output
        AtomicInteger polls = new AtomicInteger();
        String output = ApiJson.output("executions/e1/result.json", RESULT.length(), Sha256.of(RESULT));
        gateway.on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e1", "Initializing", 0, 0, 0, "[]")))
                .on("GET", "/api/v1/executions/e1", request -> FakeGateway.json(200, polls.incrementAndGet() < 3
                        ? ApiJson.execution("e1", "Running", 1, 0, 1, "[]")
                        : ApiJson.execution("e1", "Finished", 1, 1, 0, "[" + output + "]")))
                .on("GET", "/api/v1/files/executions/e1/result.json", FakeGateway.bytes(RESULT.getBytes(StandardCharsets.UTF_8)));

        // when
        CliRunner.Result result = run("run", "pi", "events=1000", "--api-key", "k1");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith(
                "Finished e1 pi in 3.2 s, 1 task, 1.1 CPU·s; 1 output in ./escadrille-results/e1/\n");
        assertThat(result.out()).contains("result.json: " + RESULT.strip());
        assertThat(result.err()).contains("Launched execution e1 of pi").contains("Running").contains("Finished");
        assertThat(dir.resolve("escadrille-results/e1/result.json")).hasContent(RESULT.strip());
        JsonNode launch = ProtocolJson.mapper().readTree(gateway.requests("POST", "/api/v1/executions").getFirst().body());
        assertThat(launch.get("app").asString()).isEqualTo("pi");
        assertThat(launch.get("inputs").get("events").asString()).isEqualTo("1000");
        assertThat(launch.has("iterate")).isFalse();
        assertThat(launch.has("cache")).as("the task cache is the server's default").isFalse();
        assertThat(gateway.requests()).allSatisfy(request -> assertThat(request.apiKey()).isEqualTo("k1"));
    }

    @Test
    void noCacheAsksTheServerToRunEveryTask() throws Exception {
        gateway.on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e1", "Initializing", 0, 0, 0, "[]")))
                .on("GET", "/api/v1/executions/e1", FakeGateway.json(200, ApiJson.execution("e1", "Finished", 1, 1, 0, "[]")));

        CliRunner.Result result = run("run", "pi", "events=1000", "--no-cache", "--api-key", "k1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode launch = ProtocolJson.mapper().readTree(gateway.requests("POST", "/api/v1/executions").getFirst().body());
        assertThat(launch.get("cache").asBoolean(true)).isFalse();
    }

    @Test
    void uploadsALocalFileAndSendsItsStoredPath() throws Exception {
        // given
        Files.writeString(dir.resolve("phantom.mac"), "/gate/geometry");
        gateway.on("PUT", "/api/v1/files/uploads/*", request -> FakeGateway.json(201, """
                        {"path": "%s", "name": "phantom.mac", "size": 14, "sha256": "x"}""".formatted(request.path())))
                .on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e2", "Ready", 0, 0, 0, "[]")));

        // when
        CliRunner.Result result = run("run", "dose", "geometry=@phantom.mac", "seed=1", "seed=2", "--iterate", "dot",
                "--no-wait", "--api-key", "k");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("e2\n");
        FakeGateway.Recorded upload = gateway.requests("PUT", "/api/v1/files/").getFirst();
        assertThat(upload.path()).matches("/api/v1/files/uploads/\\d{8}-\\d{6}-[0-9a-f]{6}/phantom\\.mac");
        assertThat(upload.bodyText()).isEqualTo("/gate/geometry");
        JsonNode launch = ProtocolJson.mapper().readTree(gateway.requests("POST", "/api/v1/executions").getFirst().body());
        assertThat("/api/v1/files/" + launch.get("inputs").get("geometry").asString()).isEqualTo(upload.path());
        assertThat(launch.get("inputs").get("seed").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(launch.get("iterate").asString()).isEqualTo("dot");
    }

    @Test
    void uploadsADirectoryKeepingItsTreeAndLargeFilesWithAProgressLine() throws Exception {
        // given a directory with a nested file over the progress threshold, and another input whose file has the same name
        Files.createDirectories(dir.resolve("images/sub"));
        Files.write(dir.resolve("images/sub/big.raw"), new byte[3 * 1024 * 1024 / 2]);
        Files.writeString(dir.resolve("images/a.txt"), "a");
        Files.createDirectories(dir.resolve("other/images"));
        Files.writeString(dir.resolve("other/images/b.txt"), "b");
        gateway.on("PUT", "/api/v1/files/uploads/*", request -> FakeGateway.json(201, "{\"path\": \"p\"}"))
                .on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e6", "Ready", 0, 0, 0, "[]")));

        // when
        CliRunner.Result result = run("run", "seg", "images=@images", "masks=@other/images", "--no-wait",
                "--api-key", "k");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> uploaded = gateway.requests("PUT", "/api/v1/files/").stream()
                .map(request -> request.path().replaceFirst("/api/v1/files/uploads/[^/]+/", ""))
                .toList();
        assertThat(uploaded).containsExactly("images/a.txt", "images/sub/big.raw", "2/images/b.txt");
        JsonNode inputs = ProtocolJson.mapper()
                .readTree(gateway.requests("POST", "/api/v1/executions").getFirst().body()).get("inputs");
        assertThat(inputs.get("images").asString()).matches("uploads/[^/]+/images");
        assertThat(inputs.get("masks").asString()).matches("uploads/[^/]+/2/images");
        assertThat(result.err()).contains("Uploading").contains("3/3 files  1.5 MiB / 1.5 MiB");
    }

    @Test
    void uploadsTheLocalFilesOfAnInvocationOnlyForFileInputs() throws Exception {
        // given an invocation whose "label" is a String input that happens to name a local file
        Files.writeString(dir.resolve("data.csv"), "1,2");
        Files.writeString(dir.resolve("label"), "not an input file");
        Files.writeString(dir.resolve("inv.json"), """
                {"table": "data.csv", "label": "label", "events": [10, 20]}""");
        gateway.on("GET", "/api/v1/apps/tab", FakeGateway.json(200, """
                        {"name": "tab", "version": "1", "inputs": [
                          {"id": "table", "name": "Table", "type": "File"},
                          {"id": "label", "name": "Label", "type": "String"},
                          {"id": "events", "name": "Events", "type": "Number"}]}"""))
                .on("PUT", "/api/v1/files/uploads/*", request -> FakeGateway.json(201, "{\"path\": \"p\"}"))
                .on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e3", "Ready", 0, 0, 0, "[]")));

        // when
        CliRunner.Result result = run("run", "tab", "-i", "inv.json", "--no-wait", "--json", "--api-key", "k");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(ProtocolJson.mapper().readTree(result.out()).get("id").asString()).isEqualTo("e3");
        assertThat(gateway.requests("PUT", "/api/v1/files/")).singleElement()
                .satisfies(upload -> assertThat(upload.path()).endsWith("/data.csv"));
        JsonNode inputs = ProtocolJson.mapper()
                .readTree(gateway.requests("POST", "/api/v1/executions").getFirst().body()).get("inputs");
        assertThat(inputs.get("table").asString()).matches("uploads/\\d{8}-\\d{6}-[0-9a-f]{6}/data\\.csv");
        assertThat(inputs.get("label").asString()).isEqualTo("label");
        assertThat(inputs.get("events").toString()).isEqualTo("[10,20]");
    }

    @Test
    void aFailedExecutionExitsWithOneAndItsErrorOnStderr() throws Exception {
        // given
        gateway.on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e4", "Ready", 0, 0, 0, "[]")))
                .on("GET", "/api/v1/executions/e4", FakeGateway.json(200,
                        ApiJson.failedExecution("e4", "task 0 exited with code 3")));

        // when
        CliRunner.Result result = run("run", "pi", "events=10", "--api-key", "k");

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.EXECUTION_FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("ExecutionFailed e4 pi after 2.0 s, 1 task (1 failed): task 0 exited with code 3");
    }

    @Test
    void jsonModePrintsOnlyTheFinalExecutionOnStdout() throws Exception {
        // given
        gateway.on("POST", "/api/v1/executions", FakeGateway.json(201, ApiJson.execution("e5", "Ready", 0, 0, 0, "[]")))
                .on("GET", "/api/v1/executions/e5", FakeGateway.json(200, ApiJson.execution("e5", "Finished", 1, 1, 0, "[]")));

        // when
        CliRunner.Result result = run("run", "pi", "--json", "--api-key", "k");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode printed = ProtocolJson.mapper().readTree(result.out());
        assertThat(printed.get("status").asString()).isEqualTo("Finished");
        assertThat(printed.get("digest").asString()).as("fields the client does not model are kept").isEqualTo("abc");
    }

    @Test
    void anInvalidInvocationPrintsTheProblemAndExitsWithTwo() {
        // given
        gateway.on("POST", "/api/v1/executions", FakeGateway.problem(400, """
                {"type": "about:blank", "title": "Invalid invocation", "status": 400,
                 "detail": "2 problems in the inputs of pi: fix them and launch again",
                 "errors": [{"field": "inputs.events", "message": "must be a number, got \\"ten\\""},
                            {"field": "inputs.colour", "message": "is not an input of pi"}]}"""));

        // when
        CliRunner.Result result = run("run", "pi", "events=ten", "colour=red", "--api-key", "k");

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).isEqualTo("""
                error: 2 problems in the inputs of pi: fix them and launch again
                  inputs.events: must be a number, got "ten"
                  inputs.colour: is not an input of pi
                """);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMissingLocalFileFailsBeforeAnythingIsSent() {
        CliRunner.Result result = run("run", "pi", "table=@nowhere.csv", "--api-key", "k");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).startsWith("error: table=@nowhere.csv: no file or directory at ");
        assertThat(gateway.requests()).isEmpty();
    }

    private CliRunner.Result run(String... args) {
        String[] withUrl = new String[args.length + 2];
        System.arraycopy(args, 0, withUrl, 0, args.length);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = gateway.url().toString();
        return CliRunner.run(CliRunner.environment(dir, Map.of()), withUrl);
    }

}
