package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * In headless Chromium: an admin's executions list has a Whose choice (kept in the address) that finds
 * another user's execution among everyone's, shows whose each one is and opens its page; anyone else has no
 * such choice, and naming an owner in the address is refused. No pilots: executions stay queued.
 */
@Tag("e2e")
class AdminExecutionsBrowserTest {
    private static TestServer server;
    private static Browser browser;
    private static String bobsSweep;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(false).start();
        server.newUser("carla").launch(Map.of("app", "pi", "name", "calibration of carla", "inputs", Map.of("events", 1000)));
        var bob = server.newUser("bob");
        bobsSweep = bob.launch(Map.of("app", "pi", "name", "pi sweep of bob", "inputs", Map.of("events", 1000)));
        bob.launch(Map.of("app", "pi", "name", "calibration of bob", "inputs", Map.of("events", 1000)));
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
    void anAdminFindsBobsExecutionAmongEveryonesAndOpensItsPage() throws Exception {
        browser.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());
        browser.go("/executions");
        assertThat(browser.all("tr[data-execution]")).isEmpty();

        new Select(browser.find("#filter-owner")).selectByVisibleText("Everyone");
        browser.await(10, d -> browser.all("tr[data-execution]").size() == 3);
        browser.find("#filter-name").sendKeys("sweep");
        browser.find("#search").click();

        browser.await(10, d -> browser.all("tr[data-execution]").size() == 1);
        assertThat(browser.driver().getCurrentUrl()).contains("owner=", "name=sweep");
        var row = browser.find("tr[data-execution]");
        assertThat(row.getAttribute("data-execution")).isEqualTo(bobsSweep);
        assertThat(row.findElement(org.openqa.selenium.By.cssSelector("td.owner")).getText()).isEqualTo("bob");

        String address = browser.driver().getCurrentUrl();
        browser.go("/");
        browser.driver().get(address);
        assertThat(browser.all("tr[data-execution]")).hasSize(1);
        assertThat(new Select(browser.find("#filter-owner")).getFirstSelectedOption().getText()).isEqualTo("Everyone");

        browser.find("tr[data-execution] a").click();
        browser.await(10, d -> browser.path().equals("/executions/" + bobsSweep));
        assertThat(browser.awaitText("h1", "pi sweep of bob")).contains("pi sweep of bob");
        // read only: the buttons that only bob may use are not offered to the admin
        assertThat(browser.find("#read-only").getText()).contains("execution of bob as an admin");
        assertThat(browser.all("#rerun")).isEmpty();
        assertThat(browser.all("#kill")).isEmpty();
    }

    @Test
    void anAdminListsOneUsersExecutionsByTheirName() throws Exception {
        browser.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());
        browser.go("/executions");

        browser.find("#filter-user").sendKeys("bob");
        browser.find("#search").click();

        browser.await(10, d -> browser.all("tr[data-execution]").size() == 2);
        assertThat(browser.all("td.owner")).allSatisfy(cell -> assertThat(cell.getText()).isEqualTo("bob"));
        browser.go("/executions?owner=carla");
        assertThat(browser.all("tr[data-execution]")).hasSize(1);
        assertThat(browser.find("h1").getText()).isEqualTo("Executions of carla");
    }

    @Test
    void someoneWhoIsNotAnAdminHasNoWhoseChoiceAndCannotNameAnOwner() {
        browser.signIn("bob", "password-bob");
        browser.go("/executions");
        assertThat(browser.all("tr[data-execution]")).hasSize(2);
        assertThat(browser.all("#filter-owner")).isEmpty();
        assertThat(browser.all("#filter-user")).isEmpty();
        assertThat(browser.all("td.owner")).isEmpty();

        assertThat(browser.fetch(server.url() + "/executions?owner=*")).startsWith("403")
                .contains("Only admins may list other users");
        browser.go("/executions?owner=carla");
        assertThat(browser.all("tr[data-execution]")).isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain("calibration of carla");
    }
}
