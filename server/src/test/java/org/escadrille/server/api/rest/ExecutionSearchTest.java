package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestDatabases;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/executions} finds executions by name, input value and launch date, each a filter
 * in the query; a value that is not one is a 400 saying what is expected. No pilots: executions stay queued.
 */
@Tag("e2e")
class ExecutionSearchTest {
    private static TestServer server;
    private static ApiClient gina;
    private static String sweep;
    private static String sweepAgain;
    private static String other;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        gina = server.newUser("gina");
        sweep = gina.launch(Map.of("app", "pi", "name", "Pi sweep 100%", "inputs", Map.of("events", 777123)));
        sweepAgain = gina.launch(Map.of("app", "pi", "name", "second pi SWEEP", "inputs", Map.of("events", 1000)));
        other = gina.launch(Map.of("app", "pi", "name", "calibration", "inputs", Map.of("events", 1000)));
        server.newUser("hugo").launch(Map.of("app", "pi", "name", "pi sweep of hugo", "inputs", Map.of("events", 777123)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> ids(String query) {
        var response = gina.get("/api/v1/executions?" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var ids = new ArrayList<String>();
        response.json().forEach(execution -> ids.add(execution.path("id").asString()));
        return ids;
    }

    @Test
    void theNameMatchesAnywhereIgnoringCaseAndWildcardsAreLiteral() {
        assertThat(ids("name=pi%20sweep")).containsExactlyInAnyOrder(sweep, sweepAgain);
        assertThat(ids("name=SWEEP%20100%25")).containsExactly(sweep);
        assertThat(ids("name=_")).isEmpty();
    }

    @Test
    void anInputValueMatchesTheStoredInvocation() {
        assertThat(ids("input=777123")).containsExactly(sweep);
        assertThat(ids("input=1000&name=calib")).containsExactly(other);
    }

    @Test
    void datesBoundTheLaunchTimeAsDaysOrInstants() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));

        assertThat(ids("from=" + today.minusDays(1) + "&to=" + today.plusDays(1))).hasSize(3);
        assertThat(ids("from=" + hourAgo)).hasSize(3);
        assertThat(ids("to=" + today.minusDays(1))).isEmpty();
        assertThat(ids("from=" + today.plusDays(1))).isEmpty();
    }

    @Test
    void theFilterIsKeptInTheNextPagesLink() {
        var first = gina.get("/api/v1/executions?name=sweep&limit=1");

        assertThat(first.headers().firstValue("X-Total-Count")).hasValue("2");
        assertThat(first.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link).contains("name=sweep"));
    }

    @Test
    void aDateThatIsNotADateOrABadStatusIsABadRequestSayingWhatIsExpected() {
        var response = gina.get("/api/v1/executions?from=yesterday&to=2026-13-45&status=Sleeping");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("detail").asString()).contains("from", "yesterday", "2026-12-05", "to", "status",
                "Running");
        assertThat(gina.get("/api/v1/executions?from=2026-12-05&to=2026-12-01").json().path("detail").asString())
                .contains("to must be after from");
        assertThat(ids("status=ACTIVE")).hasSize(3);
    }

    @Test
    void theSearchRunsOnPostgresToo() {
        Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(), TestDatabases.postgresMissing().orElse(""));
        try (var database = TestDatabases.freshPostgres();
             var pg = TestServer.builder().pilots(false).database(database).start()) {
            var kim = pg.newUser("kim");
            String wanted = kim.launch(Map.of("app", "pi", "name", "Pi sweep 100%", "inputs", Map.of("events", 777123)));
            kim.launch(Map.of("app", "pi", "name", "pi sweep 1000", "inputs", Map.of("events", 1000)));
            String today = LocalDate.now(ZoneOffset.UTC).toString();

            var found = kim.get("/api/v1/executions?name=SWEEP%20100%25&input=777&from=" + today + "&to=" + today
                    + "&status=active");

            assertThat(found.status()).as(found.body()).isEqualTo(200);
            assertThat(found.json().size()).isEqualTo(1);
            assertThat(found.json().get(0).path("id").asString()).isEqualTo(wanted);
        }
    }
}
