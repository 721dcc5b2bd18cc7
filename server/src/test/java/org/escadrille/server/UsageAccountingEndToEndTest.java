package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.server.account.GroupMembership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * CPU-hours, wall hours and storage per user and per group for a month (docs/limits.md, "Usage
 * accounting"), from attempts a pilot driven by hand reports, so that the sums are hand-computed; the
 * CSV parses and a user who is not an admin gets 403, as on the other admin routes. The sums are SQL: on H2
 * and on PostgreSQL.
 */
@Tag("e2e")
class UsageAccountingEndToEndTest {
    private TestServer server;
    private TestDatabases.Database database;

    /** Erin and frank are the team; grace is in no group. */
    static class Groups {
        @Bean
        @Primary
        GroupMembership testGroups() {
            return new GroupMembership() {
                @Override
                public List<String> groupsOf(String username) {
                    return List.of("erin", "frank").contains(username) ? List.of("team") : List.of();
                }

                @Override
                public List<String> membersOf(String group) {
                    return group.equals("team") ? List.of("erin", "frank") : List.of();
                }
            };
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void usageSumsEachOwnersAttemptsOfTheMonthPerUserAndPerGroupAsCsv(String databaseName) {
        var builder = TestServer.builder().pilots(false).with(Groups.class)
                .property("escadrille.scheduling.lease", "60s").property("escadrille.scheduling.max-attempts", "1");
        if (databaseName.equals("PostgreSQL")) {
            Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
            database = TestDatabases.freshPostgres();
            builder.database(database);
        }
        server = builder.start();
        assertThat(server.admin().post("/api/v1/apps", RunningLimitsEndToEndTest.SWEEP).status()).isIn(200, 201);
        var erin = server.newUser("erin");
        var frank = server.newUser("frank");
        var grace = server.newUser("grace");
        var pilot = HandPilot.registered(server, "node-u", List.of());

        // erin: two tasks, 1800 + 900 CPU seconds over 3600 + 1800 wall seconds, one of them a failure
        String sweep = erin.launch(Map.of("app", "sweep", "inputs", Map.of("x", List.of("a", "b"))));
        complete(pilot, leaseOne(pilot), Completion.Outcome.SUCCEEDED, 1800, 3600);
        complete(pilot, leaseOne(pilot), Completion.Outcome.FAILED, 900, 1800);
        erin.awaitEnd(sweep, Duration.ofSeconds(20));
        // frank: one task, 7200 CPU seconds (two cores) over 3600 wall seconds
        String one = frank.launch(Map.of("app", "sweep", "inputs", Map.of("x", "c")));
        complete(pilot, leaseOne(pilot), Completion.Outcome.SUCCEEDED, 7200, 3600);
        frank.awaitEnd(one, Duration.ofSeconds(20));
        String month = YearMonth.now(ZoneOffset.UTC).toString();

        var byUser = server.admin().get("/api/v1/usage?month=" + month);

        assertThat(byUser.status()).as(byUser.body()).isEqualTo(200);
        assertThat(byUser.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
        var rows = csv(byUser.body());
        assertThat(rows.getFirst()).containsExactly("month", "user", "members", "attempts", "cpu_hours", "wall_hours",
                "storage_bytes");
        // erin: (1800 + 900) / 3600 = 0.75 CPU-hours, (3600 + 1800) / 3600 = 1.5 wall hours; one 2-byte output
        assertThat(row(rows, "erin")).containsExactly(month, "erin", "erin", "2", "0.7500", "1.5000", "2");
        assertThat(row(rows, "frank")).containsExactly(month, "frank", "frank", "1", "2.0000", "1.0000", "2");
        assertThat(row(rows, "grace")).containsExactly(month, "grace", "grace", "0", "0.0000", "0.0000", "0");

        var byGroup = csv(server.admin().get("/api/v1/usage?month=" + month + "&by=group").body());
        assertThat(byGroup.getFirst().get(1)).isEqualTo("group");
        assertThat(row(byGroup, "team")).containsExactly(month, "team", "erin frank", "3", "2.7500", "2.5000", "4");

        var lastYear = csv(server.admin().get("/api/v1/usage?month=" + YearMonth.now(ZoneOffset.UTC).minusYears(1)).body());
        assertThat(row(lastYear, "erin").get(3)).as("no attempt ended then").isEqualTo("0");

        assertThat(grace.get("/api/v1/usage").status()).isEqualTo(403);
        var badMonth = server.admin().get("/api/v1/usage?month=November");
        assertThat(badMonth.status()).isEqualTo(400);
        assertThat(badMonth.body()).contains("2026-11");
        assertThat(server.admin().get("/api/v1/usage?by=site").status()).isEqualTo(400);
    }

    private static List<List<String>> csv(String body) {
        assertThat(body).endsWith("\r\n");
        return Arrays.stream(body.split("\r\n")).map(line -> List.of(line.split(",", -1))).toList();
    }

    private static List<String> row(List<List<String>> rows, String name) {
        return rows.stream().filter(row -> row.get(1).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + name + " in " + rows));
    }

    private static String leaseOne(HandPilot pilot) {
        LeaseGrant grant = await().atMost(Duration.ofSeconds(20)).until(() -> {
            var response = pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 0, List.of()));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            return ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
        }, g -> !g.tasks().isEmpty());
        return grant.tasks().get(0).attemptId();
    }

    private static void complete(HandPilot pilot, String attempt, Completion.Outcome outcome, double cpu, double wall) {
        if (outcome == Completion.Outcome.SUCCEEDED) {
            var upload = pilot.send(PilotProtocol.outputPath(attempt) + "?path=out.txt", pilot.sessionToken, "PUT",
                    "application/octet-stream", "x\n".getBytes(StandardCharsets.UTF_8));
            assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        }
        long now = System.currentTimeMillis();
        var answer = pilot.post(PilotProtocol.completionPath(attempt), new Completion(outcome,
                outcome == Completion.Outcome.SUCCEEDED ? 0 : 1, null, now - (long) wall * 1000, now, -1,
                new ResourceUsage(cpu, wall, 1, 1024, 0, 0)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
