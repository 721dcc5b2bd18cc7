package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Chaos, bounded to a few minutes: 2,000 short tasks while pilots are SIGKILLed 50 times and the
 * server 5 times. At the end every task has succeeded exactly once, with exactly one output whose
 * content and checksum are right. On H2 and on PostgreSQL (where {@code .ci/run} provides one).
 *
 * <p>{@code bench/run soak} runs it longer, through the system properties {@code escadrille.chaos.tasks},
 * {@code .pilot-kills}, {@code .server-kills} and {@code .minutes} (the time the execution has).
 */
@Tag("e2e")
class ChaosTest {
    private static final int TASKS = Integer.getInteger("escadrille.chaos.tasks", 2_000);
    private static final int PILOT_KILLS = Integer.getInteger("escadrille.chaos.pilot-kills", 50);
    private static final int SERVER_KILLS = Integer.getInteger("escadrille.chaos.server-kills", 5);
    private static final int MINUTES = Integer.getInteger("escadrille.chaos.minutes", 6);
    private static final String ECHO = """
            {"name": "chaos-echo", "tool-version": "1.0", "schema-version": "0.5",
             "description": "Writes its index to a file.",
             "command-line": "echo [I] > out.txt",
             "inputs": [{"id": "i", "name": "Index", "type": "Number", "integer": true, "value-key": "[I]"}],
             "output-files": [{"id": "out", "name": "Index file", "path-template": "out.txt"}]}""";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void everyTaskSucceedsExactlyOnceWhatever(String databaseName) throws Exception {
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        }
        // The execution has MINUTES; starting, restarting and checking get two more.
        assertTimeoutPreemptively(Duration.ofMinutes(MINUTES + 2), () -> runOn(databaseName));
    }

    private void runOn(String databaseName) throws Exception {
        var dataDir = Files.createTempDirectory("escadrille-chaos-");
        try (var database = databaseName.equals("H2") ? TestDatabases.h2(dataDir) : TestDatabases.freshPostgres()) {
            var properties = new HashMap<>(Map.of(
                    "escadrille.local.slots", "2", "escadrille.local.pilots", "2",
                    "escadrille.scheduling.lease", "4s", "escadrille.scheduling.heartbeat", "1s",
                    "escadrille.scheduling.long-poll", "2s", "logging.level.org.escadrille", "WARN"));
            // The soak launches its 20,000 tasks at once, over the default bound of a launch.
            properties.put("escadrille.limits.tasks-per-launch", Integer.toString(Math.max(TASKS, 10_000)));
            properties.put("spring.datasource.url", database.url());
            properties.put("spring.datasource.username", database.username());
            properties.put("spring.datasource.password", database.password());
            try (var server = new ServerProcess(dataDir, properties)) {
                server.start();
                var admin = server.admin();
                assertThat(admin.post("/api/v1/apps", ECHO).status()).isIn(200, 201);
                var launched = admin.post("/api/v1/executions", ApiClient.json(Map.of("app", "chaos-echo",
                        "inputs", Map.of("i", IntStream.range(0, TASKS).boxed().toList()))));
                assertThat(launched.status()).as(launched.body()).isEqualTo(201);
                String id = launched.json().path("id").asString();

                var chaos = new Chaos(server, id, new Random(20261125));
                JsonNode execution = chaos.runUntilTheEnd(Duration.ofMinutes(MINUTES));

                assertThat(chaos.pilotKills).as("pilot kills").isEqualTo(PILOT_KILLS);
                assertThat(chaos.serverKills).as("server kills").isEqualTo(SERVER_KILLS);
                assertThat(execution.path("status").asString()).as(execution.path("error").asString()).isEqualTo("Finished");
                assertEveryTaskSucceededOnceWithItsOutput(server.admin(), id, execution);
            }
        }
    }

    private static void assertEveryTaskSucceededOnceWithItsOutput(ApiClient admin, String id, JsonNode execution)
            throws Exception {
        JsonNode tasks = admin.get("/api/v1/executions/" + id + "/tasks").json();
        assertThat(tasks).hasSize(TASKS);
        for (JsonNode task : tasks) {
            long succeeded = 0;
            for (JsonNode attempt : task.path("attempts")) {
                if (attempt.path("status").asString().equals("SUCCEEDED")) {
                    succeeded++;
                }
            }
            assertThat(succeeded).as("successful attempts of task " + task.path("label").asString()).isEqualTo(1);
        }
        JsonNode outputs = execution.path("outputs");
        assertThat(outputs).hasSize(TASKS);
        var byTask = new HashMap<String, Integer>();
        tasks.forEach(task -> byTask.put(task.path("id").asString(), task.path("index").asInt()));
        for (JsonNode output : outputs) {
            int index = byTask.get(output.path("taskId").asString());
            byte[] expected = (index + "\n").getBytes(StandardCharsets.UTF_8);
            assertThat(output.path("sha256").asString()).as("checksum of task " + index)
                    .isEqualTo(Sha256.of(expected));
        }
        // The recorded checksums are the files': download a sample and check them.
        for (JsonNode output : List.of(outputs.get(0), outputs.get(TASKS / 2), outputs.get(TASKS - 1))) {
            byte[] content = admin.get("/api/v1/files/" + output.path("path").asString()).body().getBytes(StandardCharsets.UTF_8);
            assertThat(Sha256.of(content)).isEqualTo(output.path("sha256").asString());
        }
    }

    /** Kills pilots and the server as the execution progresses, spread over the run. */
    private static final class Chaos {
        private final ServerProcess server;
        private final String id;
        private final Random random;
        private int pilotKills;
        private int serverKills;

        Chaos(ServerProcess server, String id, Random random) {
            this.server = server;
            this.id = id;
            this.random = random;
        }

        JsonNode runUntilTheEnd(Duration limit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode execution;
                try {
                    execution = server.admin().get("/api/v1/executions/" + id).json();
                } catch (RuntimeException serverDown) {
                    continue;
                }
                String status = execution.path("status").asString();
                if (status.matches("Finished|ExecutionFailed|Killed")) {
                    return execution;
                }
                int done = execution.path("tasks").path("succeeded").asInt();
                // Pilot kills every TASKS/(PILOT_KILLS+5) tasks done; server kills at 1/7, 2/7 ... 5/7 of the run.
                if (pilotKills < PILOT_KILLS && done >= (pilotKills + 1) * TASKS / (PILOT_KILLS + 5)) {
                    List<ProcessHandle> pilots = new ArrayList<>(server.pilots());
                    if (!pilots.isEmpty()) {
                        pilots.get(random.nextInt(pilots.size())).destroyForcibly();
                        pilotKills++;
                    }
                }
                if (serverKills < SERVER_KILLS && done >= (serverKills + 1) * TASKS / (SERVER_KILLS + 2)) {
                    server.kill();
                    serverKills++;
                    server.start();
                }
                Thread.onSpinWait();
                LockSupport.parkNanos(50_000_000L);
            }
            throw new AssertionError("the execution did not end within " + limit + ": "
                    + server.admin().get("/api/v1/executions/" + id).body());
        }
    }
}
