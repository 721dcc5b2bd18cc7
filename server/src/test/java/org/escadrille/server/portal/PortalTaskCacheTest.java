package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * In headless Chromium, with real local pilots and the task cache on: a launch from the form of a task
 * that ran before shows it cached with the footprint it saved; the form's box runs it all the same.
 */
@Tag("e2e")
class PortalTaskCacheTest {
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().property("escadrille.task-cache.enabled", "true").start();
        var published = server.admin().post("/api/v1/apps", """
                {"name": "echoer", "tool-version": "1", "schema-version": "0.5", "description": "echoes",
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
    void aTaskThatRanBeforeShowsCachedWithTheFootprintItSavedUnlessTheFormAsksToRunIt() {
        ApiClient fay = server.newUser("fay");
        String first = fay.launch(Map.of("app", "echoer", "inputs", Map.of("x", "same")));
        assertThat(fay.awaitEnd(first, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("Finished");
        browser.signIn("fay", "password-fay");

        String cached = launchFromTheForm(false);
        assertThat(fay.awaitEnd(cached, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("Finished");
        browser.go("/executions/" + cached);
        assertThat(browser.all("#tasks .cached")).hasSize(1);
        assertThat(browser.find("#tasks .saved").getText()).contains("saved", "Wh", "CO2e");
        assertThat(browser.find("#cached-note").getText()).contains("1 task(s) did not run", "saved", "Wh");

        String ran = launchFromTheForm(true);
        assertThat(fay.awaitEnd(ran, Duration.ofSeconds(60)).path("status").asString()).isEqualTo("Finished");
        browser.go("/executions/" + ran);
        assertThat(browser.all("#tasks .cached")).isEmpty();
        assertThat(fay.get("/api/v1/executions/" + ran + "/tasks").json().get(0).path("attempts").size()).isEqualTo(1);
    }

    private static String launchFromTheForm(boolean noCache) {
        browser.go("/apps/echoer");
        browser.find("#in-x").sendKeys("same");
        if (noCache) {
            browser.find("#no-cache").click();
        }
        browser.find("#launch").click();
        browser.await(10, d -> browser.path().startsWith("/executions/"));
        return browser.path().substring("/executions/".length());
    }
}
