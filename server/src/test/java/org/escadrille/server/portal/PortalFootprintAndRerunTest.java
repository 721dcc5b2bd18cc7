package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * In headless Chromium, with real local pilots: an execution's page shows its footprint and re-runs
 * only its failed tasks, the account page shows the user's footprint and the admin page the platform's.
 */
@Tag("e2e")
class PortalFootprintAndRerunTest {
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        server = TestServer.builder().property("escadrille.scheduling.max-attempts", "1").start();
        var published = server.admin().post("/api/v1/apps", """
                {"name": "picky", "tool-version": "1", "schema-version": "0.5", "description": "fails for b",
                 "command-line": "echo [X] > out.txt && test [X] != b",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]"}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]}""");
        assertThat(published.status()).as(published.body()).isIn(200, 201);
        browser = Browser.open(server.url());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anExecutionsPageShowsItsFootprintAndReRunsOnlyItsFailedTasks() {
        ApiClient dora = server.newUser("dora");
        String first = dora.launch(Map.of("app", "picky", "inputs", Map.of("x", List.of("a", "b", "c"))));
        assertThat(dora.awaitEnd(first, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("ExecutionFailed");
        browser.signIn("dora", "password-dora");

        browser.go("/executions/" + first);
        assertThat(browser.find("#footprint").getText()).contains("Footprint", "Wh", "CO2e", "km by car", "wasted");
        // its RO-Crate, through the session: a ZIP whose first entry is the crate's metadata
        String crateLink = browser.find("#crate").getAttribute("href");
        assertThat(crateLink).endsWith("/executions/" + first + "/crate");
        assertThat(browser.fetch(crateLink)).startsWith("200\nPK").contains("ro-crate-metadata.json");
        browser.find("#rerun-failed").click();

        browser.await(10, d -> !browser.path().equals("/executions/" + first) && browser.path().startsWith("/executions/"));
        String second = browser.path().substring("/executions/".length());
        assertThat(dora.awaitEnd(second, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("ExecutionFailed");
        browser.go("/executions/" + second);
        assertThat(browser.all("#tasks .reused")).hasSize(2);
        assertThat(dora.get("/api/v1/executions/" + second + "/tasks").json().findValues("attempts"))
                .extracting(attempts -> attempts.size()).containsExactlyInAnyOrder(0, 1, 0);

        browser.go("/account");
        assertThat(browser.find("#footprint-month").getText()).contains("Wh", "CO2e");
        assertThat(browser.find("#footprint-all").getText()).contains("wasted");
    }

    @Test
    void theAdminPageShowsThePlatformsFootprint() throws Exception {
        browser.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());

        browser.go("/admin");

        assertThat(browser.find("#platform-footprint").getText()).contains("Platform footprint", "Wh", "CO2e");
    }
}
