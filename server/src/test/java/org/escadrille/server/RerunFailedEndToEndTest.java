package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Re-running only what failed: a sweep whose command fails for some values, run by real local pilots,
 * re-run with {@code failed=true}; only the failed tasks get attempts, the others reuse their outputs.
 */
@Tag("e2e")
class RerunFailedEndToEndTest {
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().property("escadrille.scheduling.max-attempts", "1").start();
        alice = Researcher.of(server, "alice");
        var published = server.admin().post("/api/v1/apps", """
                {"name": "picky", "tool-version": "1", "schema-version": "0.5", "description": "fails for b and d",
                 "command-line": "echo [X] > out.txt && test [X] != b && test [X] != d",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        assertThat(published.status()).as(published.body()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void onlyTheFailedTasksRunAgainAndTheOthersReuseTheirOutputs() {
        String first = alice.launch(Map.of("app", "picky", "inputs", Map.of("x", List.of("a", "b", "c", "d", "e"))));
        assertThat(alice.awaitEnd(first, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("ExecutionFailed");
        var before = tasksByLabel(first);

        var rerun = alice.api().post("/api/v1/executions/" + first + "/rerun?failed=true", "");
        assertThat(rerun.status()).as(rerun.body()).isEqualTo(201);
        String second = rerun.json().path("id").asString();
        var ended = alice.awaitEnd(second, Duration.ofSeconds(60));

        var after = tasksByLabel(second);
        assertThat(ended.path("status").asString()).isEqualTo("ExecutionFailed");
        assertThat(after.values().stream().filter(task -> !task.path("attempts").isEmpty()).map(RerunFailedEndToEndTest::x))
                .as("tasks that ran in the re-run").containsExactlyInAnyOrder("b", "d");
        assertThat(after.values().stream().mapToInt(task -> task.path("attempts").size()).sum()).isEqualTo(2);
        for (String reused : List.of("a", "c", "e")) {
            var task = after.get(reused);
            assertThat(task.path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(task.path("reusedFrom").asString()).isEqualTo(before.get(reused).path("id").asString());
        }
        var outputs = StreamSupport.stream(ended.path("outputs").spliterator(), false).toList();
        assertThat(outputs).hasSize(3);
        assertThat(outputs).allSatisfy(output -> assertThat(output.path("path").asString()).startsWith(ended.path("outputDir").asString()));
        String reusedA = after.get("a").path("id").asString();
        var copy = outputs.stream().filter(output -> output.path("taskId").asString().equals(reusedA)).findFirst().orElseThrow();
        assertThat(new String(alice.download(copy.path("path").asString())).strip()).isEqualTo("a");
    }

    @Test
    void aSucceededTaskWhoseOutputWasDeletedSinceRunsAgain() {
        String first = alice.launch(Map.of("app", "picky", "inputs", Map.of("x", List.of("a", "b"))));
        var ended = alice.awaitEnd(first, Duration.ofSeconds(60));
        String output = ended.path("outputs").get(0).path("path").asString();
        assertThat(alice.api().delete("/api/v1/files/" + output.replace(" ", "%20")).status()).isEqualTo(204);

        var rerun = alice.api().post("/api/v1/executions/" + first + "/rerun?failed=true", "");
        assertThat(rerun.status()).as(rerun.body()).isEqualTo(201);
        String second = rerun.json().path("id").asString();
        alice.awaitEnd(second, Duration.ofSeconds(60));

        assertThat(tasksByLabel(second).values()).allSatisfy(task -> {
            assertThat(task.path("attempts").size()).isEqualTo(1);
            assertThat(task.path("reusedFrom").isNull() || task.path("reusedFrom").isMissingNode()).isTrue();
        });
    }

    @Test
    void anExecutionWhereNothingFailedHasNothingToReRunAndAnotherUsersIsNotFound() {
        String finished = alice.launch(Map.of("app", "picky", "inputs", Map.of("x", List.of("a", "c"))));
        assertThat(alice.awaitEnd(finished, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("Finished");

        var nothing = alice.api().post("/api/v1/executions/" + finished + "/rerun?failed=true", "");
        var bob = Researcher.of(server, "bob").api().post("/api/v1/executions/" + finished + "/rerun?failed=true", "");

        assertThat(nothing.status()).as(nothing.body()).isEqualTo(409);
        assertThat(nothing.json().path("detail").asString()).contains("nothing to re-run");
        assertThat(bob.status()).as(bob.body()).isEqualTo(404);
    }

    private static Map<String, JsonNode> tasksByLabel(String execution) {
        var tasks = new LinkedHashMap<String, JsonNode>();
        alice.tasks(execution).forEach(task -> tasks.put(x(task), task));
        return tasks;
    }

    /** The sweep value of a task, from its label ("x=a" or similar). */
    private static String x(JsonNode task) {
        String label = task.path("label").asString();
        return label.substring(label.length() - 1);
    }
}
