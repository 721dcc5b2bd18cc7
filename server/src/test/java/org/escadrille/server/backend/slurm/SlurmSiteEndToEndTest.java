package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A site of kind {@code slurm} for real: the factory submits pilots to the daemons of
 * {@code .ci/slurm-up}, the tasks of an execution run inside SLURM jobs, a pilot job cancelled by
 * {@code scancel} in the middle loses no task, and no pilot job is left once the work is done. Once
 * with the server on the login node, once through SSH to a {@link LoginNode} (key authentication,
 * the pilot jar by SFTP, every batch command over the connection).
 */
@Tag("e2e")
class SlurmSiteEndToEndTest {
    private static final int TASKS = 20;

    @TempDir
    static Path dir;

    @TempDir
    static Path keys;

    private static TestServer server;
    private static ApiClient admin;
    private static LoginNode loginNode;

    @BeforeAll
    static void start() {
        SlurmCluster.assumeRunning();
        try {
            loginNode = LoginNode.start(keys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the test's SSH server did not start", e);
        }
        server = TestServer.builder().pilots(false).start();
        admin = server.admin();
        var published = admin.post("/api/v1/apps", """
                {"name": "slow-echo", "tool-version": "1.0", "schema-version": "0.5", "description": "Writes its number, slowly.",
                 "command-line": "sleep 1; echo [N] > n.txt",
                 "inputs": [{"id": "n", "name": "N", "type": "Number", "integer": true, "value-key": "[N]"}],
                 "output-files": [{"id": "out", "name": "Out", "path-template": "n.txt"}]}""");
        assertThat(published.status()).as(published.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (loginNode != null) {
            loginNode.close();
        }
        for (String site : List.of("slurm-direct", "slurm-ssh")) {
            for (String job : jobs(site)) {
                SlurmCluster.run("scancel", job);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "ssh"})
    void anExecutionRunsInSlurmJobsSurvivesAScancelledPilotAndLeavesNoJobBehind(String way) throws IOException {
        String site = "slurm-" + way;
        Path workDir = dir.resolve(site);
        int commandsBefore = loginNode.commands().size();
        var settings = new HashMap<>(way.equals("ssh") ? loginNode.siteSettings(workDir, Map.of()) : SlurmCluster.settings(workDir));
        settings.put("partition", "debug");
        settings.put("time-limit", "10m");
        settings.put("idle-timeout", "5s");
        var created = admin.post("/api/v1/sites", ApiClient.json(Map.of("name", site, "kind", "slurm", "settings", settings,
                "maxQueued", 2, "maxRunning", 2, "slotsPerPilot", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(jobs(site)).as("no pilot without work").isEmpty();

        String id = admin.launch(Map.of("app", "slow-echo", "inputs", Map.of("n", IntStream.range(0, TASKS).boxed().toList())));

        // A pilot job is killed by the batch system while tasks run on it.
        await().atMost(Duration.ofSeconds(120)).until(() -> succeeded(id) >= 3 && !jobs(site).isEmpty());
        String victim = jobs(site).get(0);
        assertThat(SlurmCluster.run("scancel", victim).succeeded()).isTrue();

        JsonNode execution = admin.awaitEnd(id, Duration.ofSeconds(240));
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        assertThat(execution.path("tasks").path("succeeded").asInt()).isEqualTo(TASKS);
        var values = new ArrayList<String>();
        for (JsonNode output : execution.path("outputs")) {
            values.add(admin.get("/api/v1/files/" + output.path("path").asString()).body().strip());
        }
        assertThat(values).as("each task's own output, once").containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, TASKS).mapToObj(Integer::toString).toList());
        JsonNode tasks = admin.get("/api/v1/executions/" + id + "/tasks").json();
        assertThat(tasks).allSatisfy(task -> assertThat(task.path("attempts")).isNotEmpty()
                .allSatisfy(attempt -> assertThat(attempt.path("host").asString()).isNotBlank()));

        // Idle pilots leave after their idle timeout: nothing is left in the queue.
        await().atMost(Duration.ofSeconds(90)).until(() -> jobs(site).isEmpty());
        JsonNode health = admin.get("/api/v1/sites/" + site).json().path("health");
        assertThat(health.path("pilotsQueued").asInt()).isZero();
        if (way.equals("ssh")) {
            assertThat(loginNode.commands().subList(commandsBefore, loginNode.commands().size()))
                    .as("the batch commands went through the login node")
                    .anyMatch(command -> command.startsWith("sbatch")).anyMatch(command -> command.startsWith("squeue"));
        }
    }

    private static int succeeded(String executionId) {
        return admin.get("/api/v1/executions/" + executionId).json().path("tasks").path("succeeded").asInt();
    }

    /** The SLURM job ids of this site's pilots, as squeue lists them. */
    private static List<String> jobs(String site) {
        try {
            var ids = new ArrayList<String>();
            for (String line : SlurmCluster.run("squeue", "--noheader", "--me", "--format=%i|%k").stdout().split("\n")) {
                if (line.contains("site=" + site + " ")) {
                    ids.add(line.substring(0, line.indexOf('|')).strip());
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
