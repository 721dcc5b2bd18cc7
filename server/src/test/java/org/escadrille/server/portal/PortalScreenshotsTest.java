package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Screenshots of the main pages for the README (docs/screenshots), taken only when asked:
 * {@code -Descadrille.screenshots} (or {@code =DIR}), so that ordinary runs leave the tree alone.
 */
@Tag("e2e")
class PortalScreenshotsTest {
    static final String PROPERTY = "escadrille.screenshots";

    @Test
    void mainPagesAreCaptured() throws Exception {
        String wanted = System.getProperty(PROPERTY);
        Assumptions.assumeTrue(wanted != null, "screenshots are taken only with -D" + PROPERTY);
        Browser.assumeInstalled();
        Path directory = wanted.isBlank() || wanted.equals("true") ? Path.of("..", "docs", "screenshots") : Path.of(wanted);
        Files.createDirectories(directory);

        // A home of its own, so that the login page shows the data directory as a newcomer sees it (~/.escadrille)
        Path home = Files.createTempDirectory("escadrille-home-");
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try (var server = TestServer.builder().pilots(true).dataDir(home.resolve(".escadrille")).start();
             var browser = Browser.open(server.url())) {
            var admin = server.admin();
            admin.put("/api/v1/files/phantoms/water-30cm.mhd", "ObjectType = Image\nNDims = 3\n".getBytes());
            admin.put("/api/v1/files/phantoms/water-30cm.raw", new byte[180_000]);
            admin.put("/api/v1/files/beams/proton-150MeV.mac", "/gate/source/beam/setEnergy 150 MeV\n".getBytes());
            admin.put("/api/v1/files/notes.txt", "Runs for the March report.\n".getBytes());
            String sweep = admin.launch(Map.of("app", "pi", "name", "pi convergence", "split", "none",
                    "inputs", Map.of("events", List.of("2000000", "4000000", "8000000"), "seed", List.of("1", "2"))));
            String run = admin.launch(Map.of("app", "pi", "name", "pi, 400 million events", "split", "static",
                    "tasks", 6, "inputs", Map.of("events", "400000000")));
            String dose = admin.launch(Map.of("app", "dose", "name", "cobalt-60 depth-dose",
                    "inputs", Map.of("events", "300000", "bins", "60")));

            browser.go("/login");
            capture(browser, directory, "login");

            browser.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());
            browser.go("/files?dir=phantoms");
            capture(browser, directory, "data-manager");

            browser.go("/apps");
            capture(browser, directory, "catalogue");

            browser.go("/apps/pi");
            browser.find("#in-events").sendKeys("100000000");
            browser.find("details.optional summary").click();
            browser.find("[data-input=seed] details.sweep summary").click();
            browser.find("#lines-seed").sendKeys("1\n2\n3\n4");
            browser.awaitText("#preview", "4 tasks");
            browser.script("document.activeElement.blur(); window.scrollTo(0, 0);");
            capture(browser, directory, "launch-form");

            browser.go("/executions/" + run);
            browser.await(120, d -> browser.find("#status").getText().equals("Finished"));
            capture(browser, directory, "execution");

            browser.go("/executions/" + dose);
            browser.await(60, d -> !browser.all("svg.plot").isEmpty());
            browser.script("document.querySelector('figure.plot').scrollIntoView({block: 'center'})");
            capture(browser, directory, "plot");

            browser.go("/executions");
            capture(browser, directory, "executions");

            browser.go("/executions?name=pi&from=" + java.time.LocalDate.now());
            capture(browser, directory, "executions-search");

            // the run's folder, named after it, linked back to it, its merged estimate in the preview pane
            String folder = admin.get("/api/v1/executions/" + run).json().path("outputDir").asString();
            browser.go("/files?dir=" + java.net.URLEncoder.encode(folder, java.nio.charset.StandardCharsets.UTF_8));
            browser.find("#listing a.file-link").click();
            browser.await(10, d -> !browser.all("#preview-pane pre").isEmpty());
            browser.script("document.getElementById('preview-pane').scrollIntoView({block: 'end'})");
            capture(browser, directory, "data-preview");

            browser.go("/account");
            browser.script("document.getElementById('notifications').scrollIntoView({block: 'center'})");
            capture(browser, directory, "account");

            browser.go("/admin");
            capture(browser, directory, "admin");

            // users: a developer with an address, someone disabled
            var accounts = server.bean(AccountService.class);
            accounts.createUser("ada", "password-ada", Account.Role.DEVELOPER);
            accounts.createUser("ben", "password-ben", Account.Role.USER);
            admin.send("PATCH", "/api/v1/users/ada", "application/json", "{\"email\": \"ada@lab.example.org\"}".getBytes());
            admin.send("PATCH", "/api/v1/users/ben", "application/json", "{\"enabled\": false}".getBytes());
            browser.go("/admin");
            browser.script("document.getElementById('users-title').scrollIntoView({block: 'start'})");
            capture(browser, directory, "admin-users");

            browser.script("document.getElementById('pilots-title').scrollIntoView({block: 'start'})");
            capture(browser, directory, "admin-pilots");

            // publishing: a descriptor refused, each problem under its line; then the versions published
            admin.post("/api/v1/apps", PublishPageTest.GOOD.formatted("linecount", "1.0"));
            admin.post("/api/v1/apps", PublishPageTest.GOOD.formatted("linecount", "1.1"));
            browser.go("/publish");
            browser.script("document.getElementById('descriptor').value = arguments[0]", PublishPageTest.BAD);
            browser.find("#publish").click();
            browser.awaitVisible("#publish-problems");
            browser.script("document.querySelector('.review-line.flagged').scrollIntoView({block: 'center'})");
            capture(browser, directory, "publish");

            browser.script("document.getElementById('versions-title').scrollIntoView({block: 'start'})");
            capture(browser, directory, "publish-versions");

            browser.viewport(390, 844);
            browser.go("/executions/" + sweep);
            browser.await(120, d -> browser.find("#status").getText().equals("Finished"));
            capture(browser, directory, "execution-phone");
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    private static void capture(Browser browser, Path directory, String name) throws Exception {
        browser.await(10, d -> browser.script("return document.readyState").equals("complete"));
        browser.driver().findElement(By.tagName("body"));
        Files.write(directory.resolve(name + ".png"), browser.screenshot());
    }
}
