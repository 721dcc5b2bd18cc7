package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The task cache, with real local pilots: a task identical to one its owner ran and that succeeded does
 * not run (no attempt: no pilot ever leased it) and reuses its outputs; anything that makes it a
 * different task, a launch or a tool that opts out, a Monte-Carlo run, another user or outputs
 * deleted since, makes it run.
 */
@Tag("e2e")
class TaskCacheEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().property("escadrille.task-cache.enabled", "true")
                .property("escadrille.scheduling.max-attempts", "1").start();
        alice = Researcher.of(server, "alice");
        publish("""
                {"name": "greeter", "tool-version": "1", "schema-version": "0.5", "description": "greets a file",
                 "command-line": "echo [GREETING] > out.txt && cat [TEXT] >> out.txt",
                 "inputs": [{"id": "greeting", "name": "Greeting", "type": "String", "value-key": "[GREETING]"},
                            {"id": "text", "name": "Text", "type": "File", "value-key": "[TEXT]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        publish("""
                {"name": "dice", "tool-version": "1", "schema-version": "0.5", "description": "not deterministic",
                 "command-line": "echo [FACES] $RANDOM > out.txt",
                 "inputs": [{"id": "faces", "name": "Faces", "type": "String", "value-key": "[FACES]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}],
                 "custom": {"escadrille:cache": false}}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void publish(String descriptor) {
        var published = server.admin().post("/api/v1/apps", descriptor);
        assertThat(published.status()).as(published.body()).isIn(200, 201);
    }

    @Test
    void anIdenticalTaskIsCachedNeverRunsAndShowsTheFootprintItSaved() {
        alice.upload("cache/hello.txt", "world\n".getBytes(StandardCharsets.UTF_8));
        var inputs = Map.<String, Object>of("greeting", "hello", "text", "cache/hello.txt");
        String first = alice.launch(Map.of("app", "greeter", "inputs", inputs));
        assertThat(alice.awaitEnd(first, LIMIT).path("status").asString()).isEqualTo("Finished");
        var original = alice.tasks(first).get(0);

        String second = alice.launch(Map.of("app", "greeter", "inputs", inputs));
        var ended = alice.awaitEnd(second, LIMIT);

        assertThat(ended.path("status").asString()).isEqualTo("Finished");
        var cached = alice.tasks(second).get(0);
        assertThat(cached.path("attempts").size()).as("attempts of the cached task").isZero();
        assertThat(cached.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(cached.path("cached").asBoolean()).isTrue();
        assertThat(cached.path("reusedFrom").asString()).isEqualTo(original.path("id").asString());
        var originalFootprint = original.path("attempts").get(0).path("footprint");
        assertThat(cached.path("saved").path("energyWh").asDouble())
                .isEqualTo(originalFootprint.path("energyWh").asDouble());
        assertThat(cached.path("saved").path("carbonGrams").asDouble())
                .isEqualTo(originalFootprint.path("carbonGrams").asDouble());
        String output = ended.path("outputs").get(0).path("path").asString();
        assertThat(output).startsWith(ended.path("outputDir").asString());
        assertThat(new String(alice.download(output), StandardCharsets.UTF_8)).isEqualTo("hello\nworld\n");
    }

    @Test
    void aChangedInputOfTheSameNameMisses() {
        alice.upload("cache/changing.txt", "before\n".getBytes(StandardCharsets.UTF_8));
        var inputs = Map.<String, Object>of("greeting", "changed", "text", "cache/changing.txt");
        alice.awaitEnd(alice.launch(Map.of("app", "greeter", "inputs", inputs)), LIMIT);
        alice.upload("cache/changing.txt", "after\n".getBytes(StandardCharsets.UTF_8));

        String again = alice.launch(Map.of("app", "greeter", "inputs", inputs));
        var ended = alice.awaitEnd(again, LIMIT);

        assertRan(again);
        assertThat(new String(alice.download(ended.path("outputs").get(0).path("path").asString()), StandardCharsets.UTF_8))
                .isEqualTo("changed\nafter\n");
    }

    @Test
    void inASweepOnlyTheTasksWithANewParameterRun() {
        alice.upload("cache/sweep.txt", "x\n".getBytes(StandardCharsets.UTF_8));
        alice.awaitEnd(alice.launch(Map.of("app", "greeter",
                "inputs", Map.of("greeting", List.of("one", "two"), "text", "cache/sweep.txt"))), LIMIT);

        String wider = alice.launch(Map.of("app", "greeter",
                "inputs", Map.of("greeting", List.of("one", "two", "three"), "text", "cache/sweep.txt")));
        assertThat(alice.awaitEnd(wider, LIMIT).path("status").asString()).isEqualTo("Finished");

        var ran = new ArrayList<String>();
        var cached = new ArrayList<String>();
        alice.tasks(wider).forEach(task -> (task.path("cached").asBoolean() ? cached : ran).add(task.path("label").asString()));
        assertThat(ran).singleElement().satisfies(label -> assertThat(label).endsWith("three"));
        assertThat(cached).hasSize(2);
        assertThat(attemptsByLabel(wider).get(ran.getFirst())).isEqualTo(1);
    }

    @Test
    void aLaunchThatAsksForNoCacheRuns() {
        alice.upload("cache/nocache.txt", "y\n".getBytes(StandardCharsets.UTF_8));
        var inputs = Map.<String, Object>of("greeting", "again", "text", "cache/nocache.txt");
        alice.awaitEnd(alice.launch(Map.of("app", "greeter", "inputs", inputs)), LIMIT);

        String again = alice.launch(Map.of("app", "greeter", "inputs", inputs, "cache", false));
        alice.awaitEnd(again, LIMIT);

        assertRan(again);
    }

    @Test
    void aToolThatSaysItIsNotDeterministicAlwaysRuns() {
        alice.awaitEnd(alice.launch(Map.of("app", "dice", "inputs", Map.of("faces", "6"))), LIMIT);

        String again = alice.launch(Map.of("app", "dice", "inputs", Map.of("faces", "6")));
        alice.awaitEnd(again, LIMIT);

        assertRan(again);
    }

    @Test
    void aMalformedCacheFlagIsRefusedAtPublication() {
        var refused = server.admin().post("/api/v1/apps", """
                {"name": "vague", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [X]", "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
                 "custom": {"escadrille:cache": "sometimes"}}""");

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("escadrille:cache");
    }

    @Test
    void aMonteCarloExecutionIsNeverCachedNorACacheSource() {
        var request = Map.<String, Object>of("app", "pi", "tasks", 1, "inputs", Map.of("events", "2000000", "seed", 7));
        String first = alice.launch(request);
        assertThat(alice.awaitEnd(first, LIMIT).path("status").asString()).isEqualTo("Finished");

        String second = alice.launch(request);
        assertThat(alice.awaitEnd(second, LIMIT).path("status").asString()).isEqualTo("Finished");

        alice.tasks(second).forEach(task -> {
            assertThat(task.path("cached").asBoolean()).isFalse();
            assertThat(task.path("attempts").size()).isPositive();
        });
    }

    @Test
    void anotherUsersIdenticalTaskMisses() {
        var bob = Researcher.of(server, "bob");
        alice.upload("cache/shared.txt", "same\n".getBytes(StandardCharsets.UTF_8));
        bob.upload("cache/shared.txt", "same\n".getBytes(StandardCharsets.UTF_8));
        var request = Map.<String, Object>of("app", "greeter", "inputs", Map.of("greeting", "hi", "text", "cache/shared.txt"));
        alice.awaitEnd(alice.launch(request), LIMIT);

        String bobs = bob.launch(request);
        bob.awaitEnd(bobs, LIMIT);

        var task = bob.tasks(bobs).get(0);
        assertThat(task.path("cached").asBoolean()).isFalse();
        assertThat(task.path("attempts").size()).isEqualTo(1);
    }

    @Test
    void aTaskWhoseEarlierOutputsWereDeletedRunsAgain() {
        alice.upload("cache/deleted.txt", "z\n".getBytes(StandardCharsets.UTF_8));
        var inputs = Map.<String, Object>of("greeting", "gone", "text", "cache/deleted.txt");
        var ended = alice.awaitEnd(alice.launch(Map.of("app", "greeter", "inputs", inputs)), LIMIT);
        String output = ended.path("outputs").get(0).path("path").asString();
        assertThat(alice.api().delete("/api/v1/files/" + output.replace(" ", "%20")).status()).isEqualTo(204);

        String again = alice.launch(Map.of("app", "greeter", "inputs", inputs));
        assertThat(alice.awaitEnd(again, LIMIT).path("status").asString()).isEqualTo("Finished");

        assertRan(again);
    }

    @Test
    void noRoomForTheCopiesIsAMissNotARefusedLaunch() {
        var quinn = Researcher.of(server, "quinn");
        quinn.upload("cache/full.txt", "full\n".getBytes(StandardCharsets.UTF_8));
        var request = Map.<String, Object>of("app", "greeter", "inputs", Map.of("greeting", "room", "text", "cache/full.txt"));
        quinn.awaitEnd(quinn.launch(request), LIMIT);
        long used = server.admin().get("/api/v1/users/quinn/storage-quota").json().path("usedBytes").asLong();
        var quota = server.admin().send("PUT", "/api/v1/users/quinn/storage-quota", "application/json",
                ("{\"bytes\": " + (used + 1) + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(quota.status()).as(quota.body()).isEqualTo(200);

        var launched = quinn.api().post("/api/v1/executions", ApiClient.json(request));

        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        String again = launched.json().path("id").asString();
        quinn.awaitEnd(again, LIMIT);
        var task = quinn.tasks(again).get(0);
        assertThat(task.path("cached").asBoolean()).isFalse();
        assertThat(task.path("attempts").size()).as("it ran (and met the quota itself)").isEqualTo(1);
    }

    @Test
    void theSameSqlFindsCachedTasksOnPostgreSql() throws Exception {
        Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        Path dataDir = Files.createTempDirectory("escadrille-cache-pg-");
        try (var database = TestDatabases.freshPostgres();
             var postgres = TestServer.builder().dataDir(dataDir).database(database)
                     .property("escadrille.task-cache.enabled", "true").start()) {
            var admin = postgres.admin();
            var published = admin.post("/api/v1/apps", """
                    {"name": "echoer", "tool-version": "1", "schema-version": "0.5", "description": "echoes",
                     "command-line": "echo [X] > out.txt",
                     "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
                     "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
            assertThat(published.status()).as(published.body()).isIn(200, 201);
            String first = admin.launch(Map.of("app", "echoer", "inputs", Map.of("x", "pg")));
            assertThat(admin.awaitEnd(first, LIMIT).path("status").asString()).isEqualTo("Finished");

            String second = admin.launch(Map.of("app", "echoer", "inputs", Map.of("x", "pg")));

            assertThat(admin.awaitEnd(second, LIMIT).path("status").asString()).isEqualTo("Finished");
            var task = admin.get("/api/v1/executions/" + second + "/tasks").json().get(0);
            assertThat(task.path("cached").asBoolean()).isTrue();
            assertThat(task.path("attempts").size()).isZero();
            assertThat(task.path("saved").isObject()).isTrue();
        }
    }

    /** The execution's only task ran on a pilot (one attempt) rather than reusing outputs. */
    private static void assertRan(String execution) {
        var task = alice.tasks(execution).get(0);
        assertThat(task.path("cached").asBoolean()).as("cached").isFalse();
        assertThat(task.path("reusedFrom").isNull() || task.path("reusedFrom").isMissingNode()).isTrue();
        assertThat(task.path("attempts").size()).as("attempts").isEqualTo(1);
    }

    private static Map<String, Integer> attemptsByLabel(String execution) {
        var attempts = new HashMap<String, Integer>();
        for (JsonNode task : alice.tasks(execution)) {
            attempts.put(task.path("label").asString(), task.path("attempts").size());
        }
        return attempts;
    }
}
