package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The execution page's "Download report" link, and the report it gives opened from a file, offline, as
 * a reader who got it by mail would: its charts drawn in its own style, nothing fetched.
 */
@Tag("e2e")
class ExecutionReportBrowserTest {
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().start();
        var published = server.admin().post("/api/v1/apps", """
                {"name": "echo", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [X] > out.txt",
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
    void theDownloadedReportOpensFromAFileWithItsTimelineDrawnAndNothingFetched(@TempDir Path dir) throws Exception {
        ApiClient erin = server.newUser("erin");
        String id = erin.launch(Map.of("app", "echo", "inputs", Map.of("x", List.of("a", "b"))));
        assertThat(erin.awaitEnd(id, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("Finished");
        browser.signIn("erin", "password-erin");
        browser.go("/executions/" + id);

        String href = browser.find("#download-report").getAttribute("href");
        String fetched = browser.fetch(href);

        assertThat(href).endsWith("/executions/" + id + "/report");
        assertThat(fetched).startsWith("200\n");
        Path file = dir.resolve(id + "-report.html");
        Files.writeString(file, fetched.substring("200\n".length()));
        browser.driver().get(file.toUri().toString());
        assertThat(browser.find("h1").getText()).contains(id);
        assertThat(browser.all("#timeline rect.bar")).hasSize(2);
        assertThat(browser.script("return getComputedStyle(document.querySelector('#timeline rect.bar')).fill"))
                .as("the portal's colours, from the inline style").isEqualTo("rgb(46, 125, 50)");
        assertThat(((Number) browser.script("return document.querySelector('#timeline').getBoundingClientRect().width"))
                .doubleValue()).isPositive();
        assertThat(browser.script("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
    }

    @Test
    void anotherUserFindsNoReportOnThePortal() {
        ApiClient gina = server.newUser("gina");
        server.newUser("hugo");
        String id = gina.launch(Map.of("app", "echo", "inputs", Map.of("x", "a")));
        gina.awaitEnd(id, Duration.ofSeconds(60));
        browser.signIn("hugo", "password-hugo");
        browser.go("/executions");

        assertThat(browser.fetch("/executions/" + id + "/report")).startsWith("404\n");
    }
}
