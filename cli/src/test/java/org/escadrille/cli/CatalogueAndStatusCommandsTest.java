package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.escadrille.cli.api.GatewayJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code status}, {@code apps}, {@code kill} and {@code rm} against {@link FakeGateway}, a stand-in at the HTTP
 * boundary that answers in milliseconds and records every request ({@code EmbeddedEndToEndTest} runs the real server).
 */
class CatalogueAndStatusCommandsTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @BeforeEach
    void routes() {
        gateway.on("GET", "/api/v1/executions", FakeGateway.json(200, "["
                        + ApiJson.execution("e2", "Running", 4, 1, 2, "null") + ","
                        + ApiJson.execution("e1", "Finished", 1, 1, 0, "null") + "]"))
                .on("GET", "/api/v1/executions/e1", FakeGateway.json(200, ApiJson.execution("e1", "Finished", 1, 1, 0, "[]")))
                .on("GET", "/api/v1/executions/e1/tasks", FakeGateway.json(200, """
                        [{"id": "t1", "index": 0, "label": "seed=1", "status": "SUCCEEDED", "commandLine": "pi 1000",
                          "attempts": [{"id": "a1", "pilotId": "p1", "host": "node-3", "status": "SUCCEEDED",
                                        "exitCode": 0, "cpuSeconds": 1.1, "wallSeconds": 3.0}]}]"""))
                .on("GET", "/api/v1/apps", FakeGateway.json(200, """
                        [{"name": "pi", "version": "1.0", "description": "Monte-Carlo pi", "digest": "d",
                          "inputs": [{"id": "events", "name": "Events", "type": "Number", "optional": false, "list": false}],
                          "outputs": [{"id": "result", "name": "Result", "optional": false}]}]"""))
                .on("POST", "/api/v1/executions/e2/kill", FakeGateway.json(200, ApiJson.execution("e2", "Killed", 4, 1, 0, "[]")))
                .on("GET", "/api/v1/executions/e3", FakeGateway.json(200, ApiJson.execution("e3", "ExecutionFailed", 2, 1, 0, "[]")
                        .replaceFirst("}$", ", \"footprint\": {\"energyWh\": 9.9064, \"carbonGrams\": 0.49532,"
                                + " \"wastedShare\": 0.00125, \"carKm\": 0.00283, \"treeMonths\": 0.00054, \"attempts\": 2}}")))
                .on("GET", "/api/v1/executions/e3/tasks", FakeGateway.json(200, """
                        [{"id": "t2", "index": 0, "label": "x=a", "status": "SUCCEEDED", "commandLine": "echo a",
                          "attempts": [], "reusedFrom": "t0"}]"""))
                .on("GET", "/api/v1/executions/e5", FakeGateway.json(200, ApiJson.execution("e5", "Finished", 2, 2, 0, "[]")))
                .on("GET", "/api/v1/executions/e5/tasks", FakeGateway.json(200, """
                        [{"id": "t5", "index": 0, "label": "x=a", "status": "SUCCEEDED", "commandLine": "echo a",
                          "attempts": [], "reusedFrom": "t1", "cached": true, "saved": {"energyWh": 1.5, "carbonGrams": 0.75}},
                         {"id": "t6", "index": 1, "label": "x=b", "status": "SUCCEEDED", "commandLine": "echo b",
                          "attempts": [], "reusedFrom": "t2", "cached": true, "saved": {"energyWh": 0.5, "carbonGrams": 0.25}}]"""))
                .on("POST", "/api/v1/executions/e3/rerun", FakeGateway.json(201, ApiJson.execution("e4", "Ready", 2, 0, 0, "[]")))
                .on("POST", "/api/v1/executions/e2/stop", FakeGateway.json(200, ApiJson.execution("e2", "Running", 4, 1, 2, "[]")));
    }

    @Test
    void statusListsExecutionsAsATable() {
        CliRunner.Result result = run("status");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines()).hasSize(3);
        assertThat(result.out().lines().findFirst()).hasValue("ID  NAME    APP     STATUS    TASKS  CREATED           DURATION");
        assertThat(result.out()).contains("e2  pi-run  pi 1.0  Running   1/4").contains("e1  pi-run  pi 1.0  Finished  1/1");
    }

    @Test
    void statusOfOneExecutionShowsItsFootprintAndItsReusedTasks() {
        CliRunner.Result result = run("status", "e3");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Footprint  9.91 Wh, 0.495 g CO2e (≈ 0.00283 km by car), 0.1 % wasted")
                .contains("SUCCEEDED (reused)");
    }

    @Test
    void statusOfOneExecutionShowsItsCachedTasksAndTheFootprintTheySaved() {
        CliRunner.Result result = run("status", "e5");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Cached     2 tasks not run (outputs reused), saved 2.00 Wh, 1.00 g CO2e")
                .contains("SUCCEEDED (cached)");
    }

    @Test
    void rerunFailedAsksForOnlyTheFailedTasksAndSaysWhatItLaunched() {
        CliRunner.Result result = run("rerun", "e3", "--failed");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("POST", "/api/v1/executions/e3/rerun")).singleElement()
                .satisfies(request -> assertThat(request.query()).isEqualTo("failed=true"));
        assertThat(result.out()).startsWith("Launched e4 (the failed tasks of e3, 2 task(s))");
    }

    @Test
    void statusInJsonPrintsTheApiListAndNothingElse() {
        CliRunner.Result result = run("status", "--json");

        JsonNode list = GatewayJson.mapper().readTree(result.out());
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).get("id").asString()).isEqualTo("e2");
    }

    @Test
    void statusOfOneExecutionShowsItsTasks() {
        CliRunner.Result result = run("status", "e1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Execution  e1").contains("Inputs     events=1000")
                .contains("Tasks      1/1 done: 1 succeeded")
                .contains("#  TASK  LABEL   STATUS     TRIES  HOST    EXIT  WALL")
                .contains("0  t1    seed=1  SUCCEEDED  1      node-3  0     3.0 s");
    }

    @Test
    void statusOfOneExecutionInJsonHoldsTheExecutionAndItsTasks() {
        CliRunner.Result result = run("status", "e1", "--json");

        JsonNode both = GatewayJson.mapper().readTree(result.out());
        assertThat(both.get("execution").get("status").asString()).isEqualTo("Finished");
        assertThat(both.get("tasks").get(0).get("id").asString()).isEqualTo("t1");
    }

    @Test
    void appsListsTheCatalogue() {
        CliRunner.Result result = run("apps");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                NAME  VERSION  INPUTS
                pi    1.0      events:Number
                """);
    }

    @Test
    void killPrintsTheNewStatus() {
        CliRunner.Result result = run("kill", "e2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("Killed e2\n");
    }

    @Test
    void rmDeletesTheExecutionKeepingItsFilesUnlessAsked() {
        gateway.on("DELETE", "/api/v1/executions/e2", new FakeGateway.Response(204, "application/json", new byte[0], Map.of()));

        CliRunner.Result kept = run("rm", "e2");
        CliRunner.Result gone = run("rm", "e2", "--files");

        assertThat(kept.exitCode()).as(kept.err()).isZero();
        assertThat(kept.out()).isEqualTo("Deleted e2\n");
        assertThat(gone.out()).isEqualTo("Deleted e2 and its files\n");
        assertThat(gateway.requests("DELETE", "/api/v1/executions/e2")).extracting(FakeGateway.Recorded::query)
                .containsExactly("deleteFiles=false", "deleteFiles=true");
        CliRunner.Result json = run("rm", "e2", "--json");
        assertThat(json.out()).contains("\"deleted\":\"e2\"", "\"files\":false");
    }

    @Test
    void statusFollowsThePagesOfTheList() {
        try (FakeGateway paged = new FakeGateway()) {
            paged.on("GET", "/api/v1/executions", request -> "offset=1&limit=1".equals(request.query())
                    ? FakeGateway.json(200, "[" + ApiJson.execution("e1", "Finished", 1, 1, 0, "null") + "]")
                    : new FakeGateway.Response(200, "application/json", ("[" + ApiJson.execution("e2", "Running", 4, 1, 2, "null")
                            + "]").getBytes(StandardCharsets.UTF_8),
                            Map.of("Link", "</api/v1/executions?offset=1&limit=1>; rel=\"next\"", "X-Total-Count", "2")));

            CliRunner.Result result = CliRunner.run(CliRunner.environment(dir, Map.of()),
                    "status", "--url", paged.url().toString(), "--api-key", "k");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("e2  pi-run").contains("e1  pi-run");
        }
    }

    @Test
    void stopAsksForAStopAndMergeAndSaysTheMergeFollows() {
        CliRunner.Result result = run("stop", "e2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("Running e2 (its tasks are stopping; what they simulated will be merged)\n");
        assertThat(gateway.requests()).anyMatch(r -> r.method().equals("POST") && r.path().equals("/api/v1/executions/e2/stop"));
    }

    @Test
    void aRejectedKeyExitsWithTwoAndSaysWhereKeysComeFrom() {
        try (FakeGateway locked = new FakeGateway()) {
            locked.on("GET", "/api/v1/apps", new FakeGateway.Response(401, "text/plain", new byte[0], Map.of()));

            CliRunner.Result result = CliRunner.run(CliRunner.environment(dir, Map.of()),
                    "apps", "--url", locked.url().toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(result.err()).startsWith("error: the server answered HTTP 401 to GET " + locked.url() + "/api/v1/apps")
                    .contains("--api-key");
            assertThat(locked.requests().getFirst().apiKey()).isNull();
        }
    }

    private CliRunner.Result run(String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 4);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = gateway.url().toString();
        withUrl[args.length + 2] = "--api-key";
        withUrl[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, Map.of()), withUrl);
    }
}
