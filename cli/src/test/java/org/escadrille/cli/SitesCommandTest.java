package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.escadrille.cli.api.GatewayJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code escadrille sites ...} against {@link FakeGateway}: the requests they send and what they print. */
class SitesCommandTest {
    private static final String CLUSTER = """
            {"name": "cluster-a", "kind": "slurm", "enabled": true, "settings": {"partition": "debug", "ssh-key": "********"},
             "limits": {"maxQueued": 2, "maxRunning": 10, "maxSlots": 64, "slotsPerPilot": 2, "memoryMbPerPilot": null},
             "tags": ["gpu"], "createdAt": "2026-01-01T00:00:00Z", "createdBy": "admin",
             "health": {"healthy": false, "pilotsQueued": 1, "pilotsRunning": 3, "slots": 8, "lastSubmissionAt": null,
                        "consecutiveFailures": 2, "lastError": "sbatch: error: invalid partition specified: debug",
                        "unhealthySince": "2026-01-01T00:01:00Z", "backoffUntil": "2026-01-01T00:02:00Z"},
             "token": null, "command": null}""";
    private static final String LOCAL = """
            {"name": "local", "kind": "local", "enabled": true, "settings": {},
             "limits": {"maxQueued": 1, "maxRunning": 1, "maxSlots": 4, "slotsPerPilot": 4},
             "tags": [], "health": {"healthy": true, "pilotsQueued": 0, "pilotsRunning": 1, "slots": 4}}""";

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void listPrintsEachSiteWithItsPilotsAndHealth() {
        gateway.on("GET", "/api/v1/sites", FakeGateway.json(200, "[" + LOCAL + "," + CLUSTER + "]"));

        CliRunner.Result result = run("sites", "list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                NAME       KIND   ENABLED  QUEUED  RUNNING  SLOTS  HEALTH
                local      local  yes      0       1        4/4    ok
                cluster-a  slurm  yes      1       3        8/64   failing (2): sbatch: error: invalid partition specified: debug
                """);
    }

    @Test
    void addSendsTheKindSettingsLimitsAndTags() {
        gateway.on("POST", "/api/v1/sites", FakeGateway.json(201, CLUSTER));

        CliRunner.Result result = run("sites", "add", "cluster-a", "--kind", "slurm", "--set", "partition=debug",
                "--set", "time-limit=2h", "--max-queued", "2", "--slots-per-pilot", "2", "--tags", "gpu,big");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("Added site cluster-a (slurm)\n");
        var sent = GatewayJson.mapper().readTree(gateway.requests("POST", "/api/v1/sites").getFirst().bodyText());
        assertThat(sent.path("kind").asString()).isEqualTo("slurm");
        assertThat(sent.path("settings").path("partition").asString()).isEqualTo("debug");
        assertThat(sent.path("settings").path("time-limit").asString()).isEqualTo("2h");
        assertThat(sent.path("maxQueued").asInt()).isEqualTo(2);
        assertThat(sent.path("slotsPerPilot").asInt()).isEqualTo(2);
        assertThat(sent.has("maxRunning")).as("left to the server's default").isFalse();
        assertThat(sent.path("tags").toString()).isEqualTo("[\"gpu\",\"big\"]");
    }

    @Test
    void addingAManualSitePrintsItsTokenAndTheCommandOnce() {
        gateway.on("POST", "/api/v1/sites", FakeGateway.json(201, """
                {"name": "lab", "kind": "manual", "token": "t0k3n",
                 "command": "java -jar escadrille-pilot.jar --server http://gw --token t0k3n --slots 1"}"""));

        CliRunner.Result result = run("sites", "add", "lab", "--kind", "manual");

        assertThat(result.out()).contains("Its token, shown this once: t0k3n")
                .contains("  java -jar escadrille-pilot.jar --server http://gw --token t0k3n --slots 1");
    }

    @Test
    void showPrintsSettingsAsTheServerMaskedThem() {
        gateway.on("GET", "/api/v1/sites/cluster-a", FakeGateway.json(200, CLUSTER));

        CliRunner.Result result = run("sites", "show", "cluster-a");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Setting     partition=debug").contains("ssh-key=********")
                .contains("Pilots      1 queued, 3 running, 8 slots").contains("Backed off  until 2026-01-01T00:02:00Z");
    }

    @Test
    void disableEnableRemoveAndTokenSendTheirRequests() {
        gateway.on("PATCH", "/api/v1/sites/cluster-a", FakeGateway.json(200, CLUSTER))
                .on("DELETE", "/api/v1/sites/cluster-a", new FakeGateway.Response(204, "application/json", new byte[0], Map.of()))
                .on("POST", "/api/v1/sites/lab/token", FakeGateway.json(200, "{\"token\": \"new\", \"command\": \"java -jar x\"}"))
                .on("DELETE", "/api/v1/sites/lab/token", new FakeGateway.Response(204, "application/json", new byte[0], Map.of()));

        assertThat(run("sites", "disable", "cluster-a").out()).isEqualTo("Disabled site (its pilots drain) cluster-a\n");
        assertThat(run("sites", "enable", "cluster-a").out()).isEqualTo("Enabled site cluster-a\n");
        assertThat(run("sites", "remove", "cluster-a").out()).isEqualTo("Removed site cluster-a\n");
        assertThat(run("sites", "token", "lab").out()).contains("shown this once: new");
        assertThat(run("sites", "token", "lab", "--revoke").out()).isEqualTo("Revoked the token of site lab\n");

        assertThat(gateway.requests("PATCH", "/api/v1/sites/cluster-a")).extracting(FakeGateway.Recorded::bodyText)
                .containsExactly("{\"enabled\":false}", "{\"enabled\":true}");
    }

    @Test
    void kindsListsEachKindsSettings() {
        gateway.on("GET", "/api/v1/site-kinds", FakeGateway.json(200, """
                {"local": {"jvm-options": "extra JVM options"}, "manual": {}}"""));

        CliRunner.Result result = run("sites", "kinds");

        assertThat(result.out()).isEqualTo("""
                KIND    SETTING      MEANING
                local   jvm-options  extra JVM options
                manual               (no settings)
                """);
    }

    @Test
    void aRefusalPrintsTheServersProblem() {
        gateway.on("DELETE", "/api/v1/sites/busy", FakeGateway.problem(409, """
                {"title": "Conflict", "status": 409, "detail": "site busy still has 2 pilot(s) alive: disable it, wait for them to drain, then remove it"}"""));

        CliRunner.Result result = run("sites", "remove", "busy");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("2 pilot(s) alive");
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = gateway.url().toString();
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, Map.of()), all);
    }
}
