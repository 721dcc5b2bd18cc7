package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sweeps through real pilots: a directory given to a File input, a cross product of two lists, the
 * refusal of a dot product of unequal lists; every task's outputs land in a subdirectory named after
 * its parameters. And a task that does not write a declared output fails, saying which.
 */
@Tag("e2e")
class SweepsEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        // One attempt per task: the failing task below fails for good at once, without retries.
        server = TestServer.builder().pilots(true).property("escadrille.scheduling.max-attempts", "1").start();
        alice = Researcher.of(server, "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFileInputGivenADirectorySweepsOverItsFiles() {
        // given three files in one folder
        Map<String, String> contents = Map.of("a.txt", "alpha\n", "b.txt", "beta\n", "c.txt", "gamma\n");
        contents.forEach((name, text) -> alice.upload("batch/" + name, text.getBytes(StandardCharsets.UTF_8)));

        // when sha256sum is given the folder
        String id = alice.launch(Map.of("app", "sha256sum", "inputs", Map.of("input", "batch")));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        // then one task per file, each writing its checksum under a subdirectory named after its file
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode tasks = alice.tasks(id);
        assertThat(tasks).hasSize(3);
        var checked = new ArrayList<String>();
        for (JsonNode task : tasks) {
            String label = task.path("label").asString();
            String name = contents.keySet().stream().filter(label::contains).findFirst()
                    .orElseThrow(() -> new AssertionError("label " + label + " names none of the files"));
            assertThat(label).as("a label is a readable, safe directory name").startsWith("input=batch-" + name)
                    .matches("[A-Za-z0-9.=_+-]+");
            String path = outputOf(execution, task).path("path").asString();
            assertThat(path).isEqualTo(execution.path("outputDir").asString() + "/" + label + "/" + name + ".sha256");
            assertThat(new String(alice.download(path), StandardCharsets.UTF_8))
                    .isEqualTo(Sha256.of(contents.get(name)) + "  " + name + "\n");
            checked.add(name);
        }
        assertThat(checked).containsExactlyInAnyOrder("a.txt", "b.txt", "c.txt");
    }

    @Test
    void twoListsCrossIntoOneTaskPerPairEachInItsOwnDirectory() {
        // when pi runs as ordinary tasks over 2 event counts and 3 seeds
        String id = alice.launch(Map.of("app", "pi", "split", "none",
                "inputs", Map.of("events", List.of(1000, 2000), "seed", List.of(1, 2, 3))));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        // then 6 tasks, labelled by their parameters, each with its pi.json in its own directory
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        JsonNode tasks = alice.tasks(id);
        assertThat(tasks).extracting(task -> task.path("label").asString()).containsExactlyInAnyOrder(
                "events=1000_seed=1", "events=1000_seed=2", "events=1000_seed=3",
                "events=2000_seed=1", "events=2000_seed=2", "events=2000_seed=3");
        assertThat(execution.path("outputs")).hasSize(6);
        for (JsonNode task : tasks) {
            String label = task.path("label").asString();
            String path = outputOf(execution, task).path("path").asString();
            assertThat(path).isEqualTo(execution.path("outputDir").asString() + "/" + label + "/pi.json");
            long events = Long.parseLong(label.substring("events=".length(), label.indexOf('_')));
            assertThat(alice.api().get("/api/v1/files/" + path).json().path("total").asLong()).isEqualTo(events);
        }
    }

    @Test
    void aDotProductOfListsOfDifferentLengthsIsRefusedNamingThem() {
        // when events has 2 values and seed 3, paired one to one
        var refused = alice.api().post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "split", "none",
                "iterate", "dot", "inputs", Map.of("events", List.of(1000, 2000), "seed", List.of(1, 2, 3)))));

        // then the launch is a 400 that names both inputs and their lengths
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().path("detail").asString()).contains("dot product", "events has 2", "seed has 3");
    }

    @Test
    void aTaskThatDoesNotWriteADeclaredOutputFailsNamingIt() {
        // given an application whose command forgets its only output
        var published = server.admin().post("/api/v1/apps", """
                {"name": "forgetful", "tool-version": "1.0", "schema-version": "0.5",
                 "description": "Says it is done without writing its report.",
                 "command-line": "echo done [WORDS]",
                 "inputs": [{"id": "words", "name": "Words", "type": "String", "value-key": "[WORDS]"}],
                 "output-files": [{"id": "report", "name": "Report", "path-template": "report-[WORDS].txt"}]}
                """);
        assertThat(published.status()).as(published.body()).isEqualTo(201);

        // when it runs
        String id = alice.launch(Map.of("app", "forgetful", "inputs", Map.of("words", "monday")));
        JsonNode execution = alice.awaitEnd(id, LIMIT);

        // then its attempt failed naming the missing file, and so does the execution
        assertThat(execution.path("status").asString()).isEqualTo("ExecutionFailed");
        assertThat(execution.path("error").asString()).contains("report-monday.txt");
        JsonNode attempts = alice.tasks(id).get(0).path("attempts");
        assertThat(attempts).isNotEmpty().allSatisfy(attempt -> {
            assertThat(attempt.path("status").asString()).isEqualTo("FAILED");
            assertThat(attempt.path("message").asString()).contains("missing output report", "report-monday.txt");
        });
        assertThat(execution.path("outputs")).isEmpty();
    }

    private static JsonNode outputOf(JsonNode execution, JsonNode task) {
        for (JsonNode output : execution.path("outputs")) {
            if (output.path("taskId").asString().equals(task.path("id").asString())) {
                return output;
            }
        }
        throw new AssertionError("no output of task " + task.path("label").asString() + " in " + execution);
    }

}
