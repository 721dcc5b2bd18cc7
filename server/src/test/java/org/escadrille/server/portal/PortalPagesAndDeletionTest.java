package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.storage.StorageQuotas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * In headless Chromium: the executions list pages with links to older and newer ones and is searched
 * with the search kept in its address, an execution
 * is deleted from its page behind a confirmation, and a launch over a limit comes back with the
 * refusal next to its field. No pilots: executions stay queued.
 */
@Tag("e2e")
class PortalPagesAndDeletionTest {
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(false).property("escadrille.limits.tasks-per-launch", "2").start();
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

    private static String launch(ApiClient client, String name) {
        return client.launch(Map.of("app", "pi", "name", name, "inputs", Map.of("events", 1000)));
    }

    @Test
    void theExecutionsListShowsAPageAtATimeWithLinksToOlderAndNewer() {
        var carol = server.newUser("carol");
        for (int i = 0; i < ExecutionListPage.PAGE_SIZE + 3; i++) {
            launch(carol, "run-" + i);
        }
        browser.signIn("carol", "password-carol");

        browser.go("/executions");
        assertThat(browser.all("tr[data-execution]")).hasSize(ExecutionListPage.PAGE_SIZE);
        assertThat(browser.find("tr[data-execution]").getText()).contains("run-" + (ExecutionListPage.PAGE_SIZE + 2));
        assertThat(browser.all("#previous-page")).isEmpty();

        browser.find("#next-page").click();
        browser.await(10, d -> browser.all("tr[data-execution]").size() == 3);
        assertThat(browser.find("nav.pager").getText()).contains("Page 2 of 2");
        assertThat(browser.find("tr[data-execution]").getText()).contains("run-2");
        assertThat(browser.all("#next-page")).isEmpty();

        browser.find("#previous-page").click();
        browser.await(10, d -> browser.all("tr[data-execution]").size() == ExecutionListPage.PAGE_SIZE);
    }

    @Test
    void aSearchOfTheExecutionsListIsInItsAddressSoThatTheAddressShowsTheSameListAgain() {
        var ivan = server.newUser("ivan");
        launch(ivan, "pi sweep one");
        launch(ivan, "Pi Sweep two");
        launch(ivan, "calibration");
        browser.signIn("ivan", "password-ivan");
        browser.go("/executions");
        assertThat(browser.all("tr[data-execution]")).hasSize(3);

        browser.find("#filter-name").sendKeys("sweep");
        browser.find("#search").click();

        browser.await(10, d -> browser.all("tr[data-execution]").size() == 2);
        assertThat(browser.driver().getCurrentUrl()).contains("name=sweep");
        String address = browser.driver().getCurrentUrl();
        browser.go("/");
        browser.driver().get(address);
        assertThat(browser.all("tr[data-execution]")).hasSize(2)
                .allSatisfy(row -> assertThat(row.getText()).containsIgnoringCase("sweep"));
        assertThat(browser.find("#filter-name").getAttribute("value")).isEqualTo("sweep");
    }

    @Test
    void aDateThatIsNotADateInTheAddressIsToldNextToItsField() {
        var judy = server.newUser("judy");
        launch(judy, "kept");
        browser.signIn("judy", "password-judy");

        browser.go("/executions?from=last%20tuesday&name=kept");

        assertThat(browser.find("#filter-from-error").getText()).contains("must be a date such as 2026-12-05");
        assertThat(browser.all("tr[data-execution]")).hasSize(1);
        assertThat(browser.find("#filter-name").getAttribute("value")).isEqualTo("kept");
    }

    @Test
    void theCatalogueIsSearchedByTextAndItsTagChipsLeadToTheApplicationsSharingOne() {
        for (var tagged : List.of(new String[] {"chip-one", "{\"field\": [\"botany\", \"ecology\"]}"},
                new String[] {"chip-two", "{\"field\": \"ecology\"}"}, new String[] {"chip-three", "{}"})) {
            var published = server.admin().post("/api/v1/apps", """
                    {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "Tagged.", "tags": %s,
                     "command-line": "true [N]",
                     "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "optional": true}],
                     "output-files": [{"id": "o", "name": "o", "path-template": "o.txt", "optional": true}]}"""
                    .formatted(tagged[0], tagged[1]));
            assertThat(published.status()).as(published.body()).isEqualTo(201);
        }
        server.newUser("kate");
        browser.signIn("kate", "password-kate");

        browser.go("/apps");
        browser.find("#search-text").sendKeys("CHIP-");
        browser.find("#search-apps").click();
        browser.await(10, d -> browser.all("section[data-app]").size() == 3);
        assertThat(browser.find("#search-text").getAttribute("value")).isEqualTo("CHIP-");

        browser.find("section[data-app=chip-one] a.chip[data-tag='field:ecology']").click();

        browser.await(10, d -> browser.all("section[data-app]").size() == 2);
        assertThat(browser.all("section[data-app]")).extracting(section -> section.getAttribute("data-app"))
                .containsExactlyInAnyOrder("chip-one", "chip-two");
        assertThat(browser.find("#search-tag").getText()).contains("field:ecology");
        assertThat(browser.driver().getCurrentUrl()).contains("tag=field");
    }

    @Test
    void theDataPageSaysTheStorageUsedAndOpensATextAndAnImageInItsPreviewPaneInsteadOfDownloading() throws Exception {
        var lena = server.newUser("lena");
        var image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        var png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        lena.put("/api/v1/files/shown/plot.png", png.toByteArray());
        lena.put("/api/v1/files/shown/result.json", "{\"estimate\": 3.14}".getBytes(StandardCharsets.UTF_8));
        browser.signIn("lena", "password-lena");
        browser.go("/files?dir=shown");
        assertThat(browser.find("#storage-used").getText())
                .isEqualTo("Storage used: " + new DisplayFormats(Clock.systemUTC()).size(png.size() + "{\"estimate\": 3.14}".length()));

        browser.find("tr[data-path='shown/result.json'] a.file-link").click();
        browser.await(10, d -> browser.find("#preview-pane pre").getText().matches("(?s)\\{\\s+\"estimate\" ?: 3.14\\s+}"));
        browser.find("tr[data-path='shown/plot.png'] a.file-link").click();
        browser.await(10, d -> !browser.all("#preview-pane img.preview-image").isEmpty()
                && ((Number) browser.script("return arguments[0].naturalWidth;", browser.find("#preview-pane img"))).intValue() == 3);

        assertThat(browser.path()).isEqualTo("/files");
        assertThat(browser.find("#preview-pane a.preview-download").getAttribute("href")).endsWith("/shown/plot.png?download=1");
    }

    @Test
    void anExecutionsPageAsksFromAButtonToNotifyAndNotifiesOnceWhenTheExecutionEnds() {
        var max = server.newUser("max");
        String id = launch(max, "watched run");
        browser.signIn("max", "password-max");
        browser.go("/executions/" + id);
        // a stand-in for the browser's notifications, which a headless browser does not show
        browser.script("""
                window.shown = []; window.asked = 0;
                window.Notification = function (title, options) { window.shown.push(title); };
                window.Notification.permission = 'default';
                window.Notification.requestPermission = () => { window.asked++; return Promise.resolve('granted'); };""");
        assertThat(browser.script("return window.asked;")).isEqualTo(0L);

        browser.find("#notify-end").click();
        browser.awaitText("#notify-end-state", "will tell you");
        assertThat(max.post("/api/v1/executions/" + id + "/kill", "").status()).isEqualTo(200);

        browser.await(10, d -> ((Number) browser.script("return window.shown.length;")).intValue() == 1);
        assertThat(browser.script("return window.shown[0];")).isEqualTo("watched run: Killed");
        assertThat(browser.script("return window.asked;")).isEqualTo(1L);
    }

    @Test
    void theAccountPageKeepsWhereAndWhetherToMailWhenAnExecutionEndsAndRefusesAnAddressThatIsNotOne() {
        server.newUser("nina").put("/api/v1/files/notes.txt", "twelve bytes".getBytes(StandardCharsets.UTF_8));
        var nina = server.bean(AccountService.class).findByUsername("nina").orElseThrow();
        server.bean(StorageQuotas.class).setOwn(nina, 1_000_000L);
        browser.signIn("nina", "password-nina");
        browser.go("/account");
        var formats = new DisplayFormats(Clock.systemUTC());
        assertThat(browser.find("#storage-usage").getText())
                .isEqualTo(formats.size(12) + " used of " + formats.size(1_000_000));
        assertThat(browser.find("#notify").isSelected()).as("on by default").isTrue();

        browser.find("#email").sendKeys("nina at example");
        browser.script("document.getElementById('email').type = 'text';");
        browser.find("#notifications button").click();
        browser.awaitVisible("#email-error");
        assertThat(browser.find("#email-error").getText()).contains("not an e-mail address");

        browser.find("#email").clear();
        browser.find("#email").sendKeys("nina@example.org");
        browser.find("#notify").click();
        browser.find("#notifications button").click();
        browser.awaitText(".notice", "will not be told");
        assertThat(browser.find("#email").getAttribute("value")).isEqualTo("nina@example.org");
        assertThat(browser.find("#notify").isSelected()).isFalse();
    }

    @Test
    void theCatalogueAndAFolderShowAPageAtATime() {
        var admin = server.admin();
        int apps = admin.get("/api/v1/apps").json().size();
        for (int i = apps; i <= CataloguePage.PAGE_SIZE; i++) {
            var published = admin.post("/api/v1/apps", """
                    {"name": "paged-%d", "tool-version": "1", "schema-version": "0.5", "description": "One of many.",
                     "command-line": "true [N]",
                     "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "optional": true}],
                     "output-files": [{"id": "o", "name": "o", "path-template": "o.txt", "optional": true}]}""".formatted(i));
            assertThat(published.status()).as(published.body()).isEqualTo(201);
        }
        var fiona = server.newUser("fiona");
        for (int i = 0; i <= DataManagerPage.PAGE_SIZE; i++) {
            fiona.put("/api/v1/files/many/f-" + i + ".txt", new byte[] {'x'});
        }
        browser.signIn("fiona", "password-fiona");

        browser.go("/apps");
        assertThat(browser.all("section[data-app]")).hasSize(CataloguePage.PAGE_SIZE);
        browser.find("#next-page").click();
        browser.await(10, d -> browser.all("section[data-app]").size() == 1);
        assertThat(browser.find("nav.pager").getText()).contains("Page 2 of 2 (" + (CataloguePage.PAGE_SIZE + 1) + " applications)");

        browser.go("/files?dir=many");
        assertThat(browser.all("tr[data-path]")).hasSize(DataManagerPage.PAGE_SIZE);
        browser.find("#next-page").click();
        browser.await(10, d -> browser.all("tr[data-path]").size() == 1);
        assertThat(browser.find("nav.pager").getText()).contains("Page 2 of 2");
    }

    @Test
    void anExecutionIsDeletedFromItsPageWithItsOutputsWhenAsked() {
        var dave = server.newUser("dave");
        String id = launch(dave, "to-delete");
        String folder = dave.get("/api/v1/executions/" + id).json().path("outputDir").asString();
        dave.put("/api/v1/files/" + folder + "/pi.json", "{}".getBytes(StandardCharsets.UTF_8));
        browser.signIn("dave", "password-dave");

        browser.go("/executions/" + id);
        browser.find("#delete-files").findElement(By.xpath("ancestor::details/summary")).click();
        browser.find("#delete-files").click();
        browser.find("#delete").click();

        browser.await(10, d -> browser.path().equals("/executions"));
        assertThat(browser.find(".notice").getText()).contains("deleted with its outputs");
        assertThat(browser.all("tr[data-execution='" + id + "']")).isEmpty();
        assertThat(dave.get("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(dave.get("/api/v1/files/" + folder + "/pi.json").status()).isEqualTo(404);
    }

    @Test
    void aLaunchOverTheTaskLimitComesBackWithTheRefusalNextToTheField() {
        server.newUser("erin");
        browser.signIn("erin", "password-erin");
        browser.go("/apps/pi");
        browser.find("[data-input=events] details.sweep summary").click();
        browser.find("#lines-events").sendKeys("1000\n2000\n3000");

        browser.find("#launch").click();

        browser.awaitVisible("#in-events-error");
        assertThat(browser.find("#in-events-error").getText()).contains("3 tasks", "escadrille.limits.tasks-per-launch");
    }
}
