package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestDatabases;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.execution.ExecutionFilter;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionStatus;
import org.escadrille.server.scheduling.Scheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Executions and applications can be deleted (by their owner or an admin), and lists come in pages.
 * No pilots: executions stay queued, which is what a delete must kill first.
 */
@Tag("e2e")
class DeletionAndPagingTest {
    private static TestServer server;
    private static ApiClient alice;
    private static ApiClient bob;
    private static ApiClient developer;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        alice = server.newUser("alice");
        bob = server.newUser("bob");
        var accounts = server.bean(AccountService.class);
        var dev = accounts.createUser("dev", "password-dev", Account.Role.DEVELOPER);
        developer = alice.as(accounts.newApiKey(dev, "test"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String tool(String name) {
        return """
                {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "Echoes.",
                 "command-line": "echo [N] > out.txt",
                 "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "optional": true}],
                 "output-files": [{"id": "out", "name": "Out", "path-template": "out.txt"}]}""".formatted(name);
    }

    private static String launch(ApiClient client, String app) {
        return client.launch(Map.of("app", app, "inputs", Map.of("events", 1000)));
    }

    private static String outputDir(String id) {
        return alice.get("/api/v1/executions/" + id).json().path("outputDir").asString();
    }

    @Test
    void theOwnerDeletesAQueuedExecutionWhichIsKilledAndDisappears() {
        String id = launch(alice, "pi");
        assertThat(server.bean(Scheduler.class).liveTasks(id)).isPositive();

        var deleted = alice.delete("/api/v1/executions/" + id);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(server.bean(Scheduler.class).liveTasks(id)).isZero();
        assertThat(alice.get("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/executions/" + id + "/tasks").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/executions").body()).doesNotContain(id);
        assertThat(alice.delete("/api/v1/executions/" + id).status()).isEqualTo(404);
    }

    @Test
    void deletionsAndPublicationsAreInTheAuditLog() {
        String id = launch(alice, "pi");
        assertThat(alice.delete("/api/v1/executions/" + id + "?deleteFiles=true").status()).isEqualTo(204);
        assertThat(developer.post("/api/v1/apps", tool("audited-tool")).status()).isEqualTo(201);
        assertThat(developer.delete("/api/v1/apps/audited-tool/1").status()).isEqualTo(200);

        String audit = server.admin().get("/api/v1/audit?size=200").body();

        assertThat(audit).contains("\"execution-deleted-with-files\"", id, "\"application-published\"",
                "\"application-erased\"", "audited-tool 1");
    }

    @Test
    void anotherUsersExecutionIsNotFoundButAnAdminDeletesIt() {
        String id = launch(alice, "pi");

        assertThat(bob.delete("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/executions/" + id).status()).isEqualTo(200);

        assertThat(server.admin().delete("/api/v1/executions/" + id).status()).isEqualTo(204);
        assertThat(alice.get("/api/v1/executions/" + id).status()).isEqualTo(404);
    }

    @Test
    void deleteFilesTrueTakesTheExecutionsFolderAndFalseLeavesIt() {
        String kept = launch(alice, "pi");
        String gone = launch(alice, "pi");
        String keptDir = outputDir(kept);
        String goneDir = outputDir(gone);
        for (String dir : new String[] {keptDir, goneDir}) {
            var put = alice.put("/api/v1/files/" + dir + "/pi.json", "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(put.status()).isEqualTo(201);
        }

        assertThat(alice.delete("/api/v1/executions/" + kept + "?deleteFiles=false").status()).isEqualTo(204);
        assertThat(alice.delete("/api/v1/executions/" + gone + "?deleteFiles=true").status()).isEqualTo(204);

        assertThat(alice.get("/api/v1/files/" + keptDir + "/pi.json").status()).isEqualTo(200);
        assertThat(alice.get("/api/v1/files/" + goneDir + "/pi.json").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/files?dir=executions").body()).doesNotContain(goneDir.substring("executions/".length()));
    }

    @Test
    void anApplicationNoExecutionUsedIsErased() {
        assertThat(developer.post("/api/v1/apps", tool("unused")).status()).isEqualTo(201);

        var deleted = developer.delete("/api/v1/apps/unused/1");

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("outcome").asString()).isEqualTo("erased");
        assertThat(alice.get("/api/v1/apps/unused").status()).isEqualTo(404);
    }

    @Test
    void anApplicationWithExecutionsIsWithdrawnAndTheExecutionsKeepIt() {
        assertThat(developer.post("/api/v1/apps", tool("used")).status()).isEqualTo(201);
        var launched = alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "used", "inputs", Map.of("n", 1))));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        String id = launched.json().path("id").asString();

        var deleted = developer.delete("/api/v1/apps/used/1");

        assertThat(deleted.json().path("outcome").asString()).as(deleted.body()).isEqualTo("withdrawn");
        assertThat(alice.get("/api/v1/apps").body()).doesNotContain("\"used\"");
        assertThat(alice.post("/api/v1/executions", ApiClient.json(Map.of("app", "used"))).status()).isEqualTo(404);
        var execution = alice.get("/api/v1/executions/" + id);
        assertThat(execution.status()).isEqualTo(200);
        assertThat(execution.json().path("app").asString()).isEqualTo("used");

        assertThat(developer.post("/api/v1/apps", tool("used")).status()).isIn(200, 201);
        assertThat(alice.get("/api/v1/apps/used").status()).isEqualTo(200);
    }

    @Test
    void onlyThePublisherOrAnAdminDeletesAnApplication() {
        assertThat(developer.post("/api/v1/apps", tool("guarded")).status()).isEqualTo(201);

        var refused = alice.delete("/api/v1/apps/guarded/1");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("detail").asString()).contains("publisher");
        assertThat(server.admin().delete("/api/v1/apps/guarded/1").status()).isEqualTo(200);
        assertThat(server.admin().delete("/api/v1/apps/guarded/1").status()).isEqualTo(404);
    }

    @Test
    void executionsComeInPagesWithTheTotalAndALinkToTheNext() {
        var carol = server.newUser("carol");
        for (int i = 0; i < 5; i++) {
            launch(carol, "pi");
        }

        var first = carol.get("/api/v1/executions?limit=2");
        var last = carol.get("/api/v1/executions?limit=2&offset=4");

        assertThat(first.json().size()).isEqualTo(2);
        assertThat(first.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(first.headers().firstValue("Link")).hasValueSatisfying(link ->
                assertThat(link).contains("/api/v1/executions?", "offset=2", "limit=2", "rel=\"next\""));
        assertThat(last.json().size()).isEqualTo(1);
        assertThat(last.headers().firstValue("Link")).isEmpty();
        String next = first.headers().firstValue("Link").orElseThrow().replaceAll("^<([^>]*)>.*$", "$1");
        assertThat(carol.get(next).json().get(0).path("id").asString())
                .isNotIn(first.json().get(0).path("id").asString(), first.json().get(1).path("id").asString());
    }

    @Test
    void aPageLargerThanTheMaximumIsABadRequestNamingTheSetting() {
        var response = alice.get("/api/v1/executions?limit=5000");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("detail").asString()).contains("escadrille.limits.max-page-size");
        assertThat(alice.get("/api/v1/executions?offset=-1").status()).isEqualTo(400);
    }

    @Test
    void theCatalogueAndAFoldersListingArePagedToo() {
        var dave = server.newUser("dave");
        for (String name : new String[] {"a.txt", "b.txt", "c.txt"}) {
            dave.put("/api/v1/files/many/" + name, "x".getBytes(StandardCharsets.UTF_8));
        }

        var apps = dave.get("/api/v1/apps?limit=1");
        var files = dave.get("/api/v1/files?dir=many&limit=2");

        assertThat(apps.json().size()).isEqualTo(1);
        assertThat(apps.headers().firstValue("Link")).isPresent();
        assertThat(files.json().path("entries").size()).isEqualTo(2);
        assertThat(files.json().path("total").asInt()).isEqualTo(3);
        assertThat(files.json().path("next").asString()).contains("offset=2");
        assertThat(dave.get("/api/v1/files?dir=many&limit=2&offset=2").json().path("next").isNull()).isTrue();
    }

    @Test
    void pagesFiltersAndDeletionRunOnPostgresToo() {
        Assumptions.assumeTrue(TestDatabases.postgresMissing().isEmpty(),
                TestDatabases.postgresMissing().orElse(""));
        try (var database = TestDatabases.freshPostgres();
             var pg = TestServer.builder().pilots(false).database(database).start()) {
            var frank = pg.newUser("frank");
            var ids = new ArrayList<String>();
            for (int i = 0; i < 3; i++) {
                ids.add(launch(frank, "pi"));
            }
            assertThat(frank.delete("/api/v1/executions/" + ids.getFirst() + "?deleteFiles=true").status()).isEqualTo(204);

            var first = frank.get("/api/v1/executions?limit=1");
            assertThat(first.headers().firstValue("X-Total-Count")).hasValue("2");
            assertThat(first.headers().firstValue("Link")).isPresent();
            var service = pg.bean(ExecutionService.class);
            var account = pg.bean(AccountService.class).findByUsername("frank").orElseThrow();
            var queued = service.list(account, new ExecutionFilter(
                    Set.of(ExecutionStatus.Ready), "pi"), 0, 10);
            assertThat(queued.total()).isEqualTo(2);
            assertThat(service.appsRun(account)).containsExactly("pi");
        }
    }
}
