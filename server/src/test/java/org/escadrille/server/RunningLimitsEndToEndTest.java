package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.server.account.GroupMembership;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The limit on a user's executions not ended at once (docs/limits.md), through the API with a pilot
 * driven by hand: a launch past it waits and starts when one ends; a user's own limit beats the default,
 * a group's applies to its members, and the most generous group wins; with {@code over-limit=refuse} the
 * launch is refused with the limit and the counts.
 */
@Tag("e2e")
class RunningLimitsEndToEndTest {
    static final String SWEEP = """
            {"name": "sweep", "tool-version": "1", "schema-version": "0.5", "description": "d",
             "command-line": "echo [X] > out.txt",
             "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
             "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""";
    private static TestServer server;

    /** Groups as the groups feature will answer them: carol in lab and big, dave in lab. */
    static class Groups {
        @Bean
        @Primary
        GroupMembership testGroups() {
            var groups = Map.of("lab", List.of("carol", "dave"), "big", List.of("carol"));
            return new GroupMembership() {
                @Override
                public List<String> groupsOf(String username) {
                    return groups.entrySet().stream().filter(e -> e.getValue().contains(username)).map(Map.Entry::getKey)
                            .sorted().toList();
                }

                @Override
                public List<String> membersOf(String group) {
                    return groups.getOrDefault(group, List.of());
                }
            };
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).with(Groups.class)
                .property("escadrille.limits.max-running-executions", "1")
                .property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "1s")
                .property("escadrille.scheduling.max-attempts", "1")
                .start();
        var published = server.admin().post("/api/v1/apps", SWEEP);
        assertThat(published.status()).as(published.body()).isIn(200, 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLaunchPastTheLimitWaitsAndStartsWhenTheOwnersRunningExecutionEnds() {
        var alice = server.newUser("alice");
        var pilot = HandPilot.registered(server, "node-a", List.of());
        String first = alice.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));
        String second = alice.launch(Map.of("app", "sweep", "inputs", Map.of("x", "two")));

        var waiting = alice.get("/api/v1/executions/" + second).json();
        assertThat(waiting.path("status").asString()).isEqualTo("Initializing");
        assertThat(waiting.path("waiting").asString())
                .contains("alice has 1 not ended", "most allowed is 1", "escadrille.limits.max-running-executions");
        assertThat(waiting.path("tasks").path("total").asInt()).isZero();
        var limits = alice.get("/api/v1/me/limits").json();
        assertThat(limits.path("executions").path("running").asInt()).isEqualTo(1);
        assertThat(limits.path("executions").path("waiting").asInt()).isEqualTo(1);
        assertThat(limits.path("executions").path("max").asInt()).isEqualTo(1);
        assertThat(limits.path("executions").path("source").asString()).isEqualTo("default");

        String attempt = leaseOne(pilot);
        assertThat(noMoreWork(pilot)).as("the waiting launch has no task queued yet").isTrue();
        complete(pilot, attempt);
        assertThat(alice.awaitEnd(first, Duration.ofSeconds(20)).path("status").asString()).isEqualTo("Finished");

        String secondAttempt = leaseOne(pilot);
        var started = alice.get("/api/v1/executions/" + second).json();
        assertThat(started.path("waiting").isNull() || started.path("waiting").isMissingNode()).isTrue();
        assertThat(started.path("tasks").path("total").asInt()).isEqualTo(1);
        complete(pilot, secondAttempt);
        assertThat(alice.awaitEnd(second, Duration.ofSeconds(20)).path("status").asString()).isEqualTo("Finished");
    }

    @Test
    void raisingAUsersLimitStartsTheirWaitingLaunch() {
        var gus = server.newUser("gus");
        String first = gus.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));
        String second = gus.launch(Map.of("app", "sweep", "inputs", Map.of("x", "two")));
        assertThat(gus.get("/api/v1/executions/" + second).json().path("status").asString()).isEqualTo("Initializing");

        server.admin().send("PUT", "/api/v1/users/gus/limits", "application/json",
                "{\"maxRunningExecutions\": 2}".getBytes(StandardCharsets.UTF_8));

        var started = await().atMost(Duration.ofSeconds(10)).until(() -> gus.get("/api/v1/executions/" + second).json(),
                execution -> execution.path("tasks").path("total").asInt() == 1);
        assertThat(started.path("status").asString()).isEqualTo("Ready");
        List.of(first, second).forEach(id -> gus.post("/api/v1/executions/" + id + "/kill", "{}"));
    }

    @Test
    void aWaitingLaunchOutlivesARestartAndStartsWhenTheLimitHasRoom(@TempDir Path dataDir) {
        String waiting;
        try (var before = TestServer.builder().pilots(false).dataDir(dataDir)
                .property("escadrille.limits.max-running-executions", "1").start()) {
            before.admin().post("/api/v1/apps", SWEEP);
            var hal = before.newUser("hal");
            hal.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));
            waiting = hal.launch(Map.of("app", "sweep", "inputs", Map.of("x", "two")));
        }
        try (var after = TestServer.builder().pilots(false).dataDir(dataDir)
                .property("escadrille.limits.max-running-executions", "2").start()) {
            var started = await().atMost(Duration.ofSeconds(10))
                    .until(() -> after.admin().get("/api/v1/executions/" + waiting).json(),
                            execution -> execution.path("tasks").path("total").asInt() == 1);
            assertThat(started.path("status").asString()).isEqualTo("Ready");
            assertThat(started.path("outputDir").asString()).endsWith(waiting.substring(waiting.length() - 6));
        }
    }

    @Test
    void aRerunOfWhatFailedPastTheLimitIsRefusedWhileAWholeRerunWaits() {
        var ivy = server.newUser("ivy");
        var pilot = HandPilot.registered(server, "node-i", List.of());
        String sweep = ivy.launch(Map.of("app", "sweep", "inputs", Map.of("x", List.of("a", "b"))));
        complete(pilot, leaseOne(pilot));
        fail(pilot, leaseOne(pilot));
        assertThat(ivy.awaitEnd(sweep, Duration.ofSeconds(20)).path("status").asString()).isEqualTo("ExecutionFailed");
        String running = ivy.launch(Map.of("app", "sweep", "inputs", Map.of("x", "c")));

        var onlyFailed = ivy.post("/api/v1/executions/" + sweep + "/rerun?failed=true", "");
        assertThat(onlyFailed.status()).as(onlyFailed.body()).isEqualTo(409);
        assertThat(onlyFailed.json().path("detail").asString())
                .contains("ivy has 1 not ended", "a re-run of what failed starts at once or not at all");
        var whole = ivy.post("/api/v1/executions/" + sweep + "/rerun", "");
        assertThat(whole.status()).as(whole.body()).isEqualTo(201);
        assertThat(whole.json().path("status").asString()).isEqualTo("Initializing");
        List.of(running, whole.json().path("id").asString()).forEach(id -> ivy.post("/api/v1/executions/" + id + "/kill", "{}"));
    }

    @Test
    void aUsersOwnLimitBeatsTheDefault() {
        var bob = server.newUser("bob");
        var set = server.admin().send("PUT", "/api/v1/users/bob/limits", "application/json",
                "{\"maxRunningExecutions\": 2}".getBytes(StandardCharsets.UTF_8));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("source").asString()).isEqualTo("user");

        String first = bob.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));
        String second = bob.launch(Map.of("app", "sweep", "inputs", Map.of("x", "two")));
        String third = bob.launch(Map.of("app", "sweep", "inputs", Map.of("x", "three")));

        assertThat(bob.get("/api/v1/executions/" + second).json().path("status").asString()).isEqualTo("Ready");
        var waiting = bob.get("/api/v1/executions/" + third).json();
        assertThat(waiting.path("status").asString()).isEqualTo("Initializing");
        assertThat(waiting.path("waiting").asString()).contains("bob has 2 not ended", "bob's own limit");
        List.of(first, second, third).forEach(id -> bob.post("/api/v1/executions/" + id + "/kill", "{}"));
    }

    @Test
    void aGroupsLimitAppliesToItsMembersTheMostGenerousWinsAndAUsersOwnStillBeatsIt() {
        var dave = server.newUser("dave");
        var carol = server.newUser("carol");
        assertThat(server.admin().send("PUT", "/api/v1/groups/lab/limits", "application/json",
                "{\"maxRunningExecutions\": 3}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        assertThat(server.admin().send("PUT", "/api/v1/groups/big/limits", "application/json",
                "{\"maxRunningExecutions\": 5}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);

        var ofDave = dave.get("/api/v1/me/limits").json().path("executions");
        assertThat(ofDave.path("max").asInt()).isEqualTo(3);
        assertThat(ofDave.path("source").asString()).isEqualTo("group lab");
        var ofCarol = carol.get("/api/v1/me/limits").json().path("executions");
        assertThat(ofCarol.path("max").asInt()).isEqualTo(5);
        assertThat(ofCarol.path("source").asString()).isEqualTo("group big");

        server.admin().send("PUT", "/api/v1/users/carol/limits", "application/json",
                "{\"maxRunningExecutions\": 1}".getBytes(StandardCharsets.UTF_8));
        assertThat(carol.get("/api/v1/me/limits").json().path("executions").path("source").asString()).isEqualTo("user");
        server.admin().send("PUT", "/api/v1/users/carol/limits", "application/json",
                "{\"maxRunningExecutions\": null}".getBytes(StandardCharsets.UTF_8));
        assertThat(carol.get("/api/v1/me/limits").json().path("executions").path("max").asInt()).isEqualTo(5);
    }

    @Test
    void aLimitThatIsNotANumberOfExecutionsIsRefusedWithWhatToSend() {
        server.newUser("erin");
        var negative = server.admin().send("PUT", "/api/v1/users/erin/limits", "application/json",
                "{\"maxRunningExecutions\": -1}".getBytes(StandardCharsets.UTF_8));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().path("detail").asString()).contains("0 (no limit)");
        var unknown = server.admin().send("PUT", "/api/v1/users/nobody-here/limits", "application/json",
                "{\"maxRunningExecutions\": 2}".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.status()).isEqualTo(404);
        var badGroup = server.admin().send("PUT", "/api/v1/groups/-x/limits", "application/json",
                "{\"maxRunningExecutions\": 2}".getBytes(StandardCharsets.UTF_8));
        assertThat(badGroup.status()).isEqualTo(400);
    }

    @Test
    void withOverLimitRefuseALaunchPastTheLimitGets409SayingWhichLimitAndTheCountsThroughTheApiAndCarmin() {
        try (var refusing = TestServer.builder().pilots(false)
                .property("escadrille.limits.max-running-executions", "1")
                .property("escadrille.limits.over-limit", "refuse").start()) {
            refusing.admin().post("/api/v1/apps", SWEEP);
            var frank = refusing.newUser("frank");
            frank.launch(Map.of("app", "sweep", "inputs", Map.of("x", "one")));

            var refused = frank.post("/api/v1/executions", ApiClient.json(Map.of("app", "sweep", "inputs", Map.of("x", "two"))));

            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().path("detail").asString())
                    .contains("frank has 1 not ended", "most allowed is 1", "escadrille.limits.max-running-executions");
            var carmin = frank.post("/rest/executions", "{\"name\": \"two\", \"pipelineIdentifier\": \"sweep\","
                    + " \"inputValues\": {\"x\": \"two\"}}");
            assertThat(carmin.status()).as(carmin.body()).isEqualTo(409);
            assertThat(carmin.body()).contains("frank has 1 not ended");
            var counts = frank.get("/api/v1/me/limits").json().path("executions");
            assertThat(counts.path("running").asInt()).isEqualTo(1);
            assertThat(counts.path("waiting").asInt()).isZero();
            assertThat(counts.path("overLimit").asString()).isEqualTo("refuse");
        }
    }

    private static String leaseOne(HandPilot pilot) {
        LeaseGrant grant = await().atMost(Duration.ofSeconds(20)).until(() -> lease(pilot), g -> !g.tasks().isEmpty());
        return grant.tasks().get(0).attemptId();
    }

    private static boolean noMoreWork(HandPilot pilot) {
        return lease(pilot).tasks().isEmpty();
    }

    private static LeaseGrant lease(HandPilot pilot) {
        var response = pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 0, List.of()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
    }

    private static void fail(HandPilot pilot, String attempt) {
        long now = System.currentTimeMillis();
        var answer = pilot.post(PilotProtocol.completionPath(attempt), new Completion(Completion.Outcome.FAILED, 1, null,
                now - 1_000, now, -1, new ResourceUsage(1, 1, 1, 1024, 0, 0)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static void complete(HandPilot pilot, String attempt) {
        var answer = pilot.succeedWithOutput(attempt);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
