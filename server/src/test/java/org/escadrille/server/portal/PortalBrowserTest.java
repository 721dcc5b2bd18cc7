package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The portal as a person uses it, in headless Chromium against a real server with real pilots: sign in,
 * upload, launch pi from its generated form, watch it finish live, download the result; and the
 * failures a person meets (a form with a mistake, someone else's execution, a page for admins).
 */
@Tag("e2e")
class PortalBrowserTest {
    private static TestServer server;
    private static Browser browser;
    private static ApiClient aliceApi;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(true).start();
        aliceApi = server.newUser("alice");
        server.newUser("bob");
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
    void aNewcomerIsToldWhereTheFirstPasswordIsAndAWrongOneKeepsTheUsername() throws Exception {
        browser.driver().manage().deleteAllCookies();
        browser.go("/");
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find(".hint-box").getText()).contains("admin", "admin.password");

        browser.find("#username").sendKeys("admin");
        browser.find("#password").sendKeys("not the password");
        browser.find("form[action='/login'] button").click();
        browser.awaitVisible(".alert");
        assertThat(browser.find(".alert").getText()).contains("Wrong username or password");
        assertThat(browser.find("#username").getAttribute("value")).isEqualTo("admin");

        String password = Files.readString(server.dataDir().resolve("admin.password")).strip();
        browser.find("#password").sendKeys(password);
        browser.find("form[action='/login'] button").click();
        browser.await(10, d -> browser.path().equals("/"));
        assertThat(browser.find("h1").getText()).contains("admin");
        assertThat(browser.find("nav[aria-label=Main]").getText()).contains("Admin");

        browser.find("nav[aria-label=Main] a[href='/admin']").click();
        assertThat(browser.find("#users").getText()).contains("alice", "bob", "admin");
        assertThat(browser.find("#pilots").getText()).contains("local");
        assertThat(browser.all("#pilots tbody .status")).isNotEmpty()
                .allSatisfy(state -> assertThat(state.getText()).as("a pilot's state in words").matches("[A-Z][a-z].*"));
    }

    @Test
    void filesUploadedThroughTheDataManagerAreListedDownloadableAndDeletable(@TempDir Path temp) throws Exception {
        browser.signIn("alice", "password-alice");
        browser.go("/files");
        browser.find("#folder-name").sendKeys("inputs");
        browser.find("form[action='/files/folders'] button").click();
        browser.awaitVisible(".notice");
        browser.find("#listing a[href='/files?dir=inputs']").click();
        browser.await(10, d -> browser.find("#listing h2").getText().equals("inputs"));

        Path first = Files.writeString(temp.resolve("scan one.txt"), "first file\n");
        Path second = Files.write(temp.resolve("big.bin"), new byte[3 * 1024 * 1024]);
        browser.find("#upload-files").sendKeys(first + "\n" + second);

        browser.await(30, d -> browser.all("#listing tr[data-path='inputs/big.bin']").size() == 1
                && browser.all("#listing tr[data-path='inputs/scan one.txt']").size() == 1);
        assertThat(browser.all("#upload-list li[data-done=true]")).hasSize(2);
        String href = browser.find("#listing tr[data-path='inputs/scan one.txt'] a").getAttribute("href");
        assertThat(browser.fetch(href)).isEqualTo("200\nfirst file\n");

        var row = browser.find("#listing tr[data-path='inputs/big.bin']");
        row.findElement(By.cssSelector("summary")).click();
        row.findElement(By.cssSelector("button.danger")).click();
        browser.awaitText(".notice", "inputs/big.bin deleted");
        assertThat(browser.all("#listing tr[data-path='inputs/big.bin']")).isEmpty();
        assertThat(browser.all("#listing tr[data-path='inputs/scan one.txt']")).hasSize(1);
    }

    @Test
    void piLaunchedFromItsFormFinishesLiveWithItsTimelineAndItsResultDownloads() {
        browser.signIn("alice", "password-alice");
        browser.go("/apps");
        browser.find("section[data-app=pi] a.button").click();
        browser.awaitVisible("#in-events").sendKeys("2000000");
        browser.await(10, d -> !browser.all("#task-count").isEmpty());
        assertThat(browser.find("#preview").getText()).contains("Monte-Carlo run of 2,000,000 events, split dynamic");
        assertThat(browser.find("#command-line").getText()).contains("escadrille-pi", "--events 2000000", "--seed 42");

        browser.find("#launch").click();
        browser.await(10, d -> browser.path().startsWith("/executions/"));
        browser.script("window.stillTheSamePage = true;");

        browser.await(60, d -> browser.find("#status").getText().equals("Finished"));
        assertThat(browser.script("return window.stillTheSamePage === true;")).as("updated without a reload").isEqualTo(true);
        int attempts = browser.all("#tasks tbody tr td:nth-child(4)").stream().mapToInt(td -> Integer.parseInt(td.getText())).sum();
        List<WebElement> bars = browser.all("svg#timeline rect.bar");
        assertThat(bars).hasSize(attempts).isNotEmpty();
        assertThat(bars).allSatisfy(bar -> assertThat(bar.getAttribute("class")).containsAnyOf("bar-SUCCEEDED", "bar-STOPPED"));
        assertThat(browser.find("#monte-carlo").getText()).contains("of 2,000,000 events simulated");
        WebElement merged = browser.find("#outputs tbody tr:first-child a.output-link");
        assertThat(merged.getAttribute("href")).endsWith("/pi.json");
        assertThat(browser.fetch(merged.getAttribute("href"))).startsWith("200\n").contains("\"estimate\"");
        browser.awaitText("#log-text", "pi ~");

        // the merged estimate reads on the page, without a download
        assertThat(browser.find(".output-preview[data-path='pi.json'] pre").getText()).contains("\"estimate\"");
        // statuses in words; a task stopped when the total was reached ended as planned, in the colour of success
        assertThat(browser.find("#tasks").getText()).doesNotContainPattern("\\b(SUCCEEDED|STOPPED|RUNNING|QUEUED)\\b");
        String successColour = (String) browser.script("return getComputedStyle(document.querySelector('#status')).color;");
        assertThat(browser.all("#tasks .status-STOPPED")).allSatisfy(pill -> {
            assertThat(pill.getText()).isEqualTo("Stopped as planned");
            assertThat(browser.script("return getComputedStyle(arguments[0]).color;", pill)).isEqualTo(successColour);
        });
        assertThat(browser.find("#tasks tbody tr .task-label").getText()).startsWith("seed ");
        // every colour of the timeline is in its legend
        @SuppressWarnings("unchecked")
        var unexplained = (List<String>) browser.script("""
                const keys = new Set(Array.from(document.querySelectorAll('.legend .key')).map(k => k.className.replace('key ', '')));
                return Array.from(document.querySelectorAll('svg#timeline rect.bar'))
                    .map(b => b.getAttribute('class').replace('bar ', '').replace('bar-', 'key-'))
                    .filter(c => !keys.has(c));""");
        assertThat(unexplained).as("bar colours missing from the legend").isEmpty();

        // a stream the task wrote nothing on says so, instead of an empty black box
        new Select(browser.find("#log-stream")).selectByValue("stderr");
        browser.awaitText("#log-poller", "wrote nothing on its standard error");
        assertThat(browser.find("#log-text").isDisplayed()).isFalse();
        assertThat(browser.all("link[rel=icon][href='/favicon.svg']")).hasSize(1);

        // the outputs' folder is named after the execution and its day, and leads back to it
        String execution = browser.path();
        assertThat(browser.find("#output-folder").getText()).matches("executions/\\d{4}-\\d{2}-\\d{2} pi [0-9a-z]{6}");
        browser.find("#output-folder").click();
        browser.await(10, d -> browser.path().equals("/files"));
        assertThat(browser.find("#origin").getText()).contains("from execution pi");
        browser.find("#origin a").click();
        browser.await(10, d -> browser.path().equals(execution));
    }

    @Test
    void aRunningTaskShowsItsCpuLiveAndOnAPhoneItsTimelineFitsReadably() {
        var launched = aliceApi.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "split", "none",
                "name", "long pi", "inputs", Map.of("events", "100000000000"))));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        String id = launched.json().path("id").asString();
        browser.signIn("alice", "password-alice");
        browser.viewport(390, 844);
        try {
            browser.go("/executions/" + id);
            browser.await(30, d -> browser.find("#status").getText().equals("Running"));

            // CPU time of the running task grows on the page, from the pilot's heartbeats
            browser.await(30, d -> {
                String cpu = browser.find("#tasks tbody tr td:nth-child(6)").getText();
                return !cpu.isEmpty() && !cpu.equals("0.0 s");
            });
            assertThat(browser.find("#tasks tbody tr td:nth-child(3)").getText()).contains("Running");

            // the phone's timeline fits its box and its text is not shrunk past reading
            browser.await(10, d -> browser.find("svg#timeline-narrow").isDisplayed());
            assertThat(browser.find("svg#timeline").isDisplayed()).isFalse();
            @SuppressWarnings("unchecked")
            var geometry = (List<Number>) browser.script("""
                    const svg = document.querySelector('svg#timeline-narrow');
                    const box = svg.closest('.chart-wrap').getBoundingClientRect();
                    const label = svg.querySelector('text').getBoundingClientRect();
                    return [svg.getBoundingClientRect().right, box.right, label.height, document.documentElement.scrollWidth];""");
            assertThat(geometry.get(0).doubleValue()).as("timeline's right edge within its box").isLessThanOrEqualTo(geometry.get(1).doubleValue() + 1);
            assertThat(geometry.get(2).doubleValue()).as("height of a lane label, px").isGreaterThanOrEqualTo(11);
            assertThat(geometry.get(3).intValue()).as("the page does not scroll sideways").isLessThanOrEqualTo(390);
        } finally {
            browser.viewport(1280, 800);
            aliceApi.post("/api/v1/executions/" + id + "/kill", "");
        }
    }

    private String launchLongPi(long seed) {
        var launched = aliceApi.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi",
                "inputs", Map.of("events", "400000000000", "seed", seed))));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        return launched.json().path("id").asString();
    }

    private void openRunning(String id) {
        browser.signIn("alice", "password-alice");
        browser.go("/executions/" + id);
        browser.await(60, d -> browser.find("#status").getText().equals("Running")
                && !browser.all("svg#timeline rect.bar-RUNNING").isEmpty());
        browser.script("window.stillTheSamePage = true;");
    }

    @Test
    void aKillShowsKilledAndTheTasksCancelledWithoutAReload() {
        String id = launchLongPi(61);
        openRunning(id);

        browser.find("#live details:has(#kill) summary").click();
        // The live part is swapped every 2 s: a click through the script cannot meet a stale element.
        browser.script("document.querySelector('#kill').click();");

        browser.await(10, d -> browser.find("#status").getText().equals("Killed"));
        assertThat(browser.find("#cancelled-count").getText()).contains("cancelled");
        assertThat(browser.find("#live").getText()).doesNotContainPattern("(\\d+) of \\1 tasks? done");
        assertThat(browser.find("#live .progress[aria-label='Tasks done']").getAttribute("aria-valuenow")).isEqualTo("0");
        assertThat(browser.all("#tasks tbody tr td:nth-child(3) .status"))
                .allSatisfy(status -> assertThat(status.getText()).isEqualTo("Cancelled"));
        // The page follows the pilots until they have ended the attempts: no bar is left running.
        browser.await(30, d -> browser.all("svg#timeline rect.bar-RUNNING").isEmpty());
        assertThat(browser.all("svg#timeline rect.bar")).isNotEmpty()
                .allSatisfy(bar -> assertThat(bar.getAttribute("class")).contains("bar-CANCELLED"));
        assertThat(browser.all("#kill")).as("nothing left to kill").isEmpty();
        assertThat(browser.script("return window.stillTheSamePage === true;")).as("updated without a reload").isEqualTo(true);
    }

    @Test
    void stopAndMergeFromThePageFinishesTheRunWithWhatItSimulated() {
        String id = launchLongPi(62);
        openRunning(id);
        browser.await(30, d -> !browser.find("#monte-carlo strong:nth-of-type(2)").getText().equals("0"));

        browser.find("#live details:has(#stop) summary").click();
        browser.script("document.querySelector('#stop').click();");

        browser.await(60, d -> browser.find("#status").getText().equals("Finished"));
        assertThat(browser.find("#stopped-by").getText()).contains("stopped early by alice");
        assertThat(browser.find("#monte-carlo").getText()).contains("of 400,000,000,000 events simulated");
        WebElement merged = browser.find("#outputs tbody tr:first-child a.output-link");
        assertThat(merged.getAttribute("href")).endsWith("/pi.json");
        assertThat(browser.script("return window.stillTheSamePage === true;")).as("updated without a reload").isEqualTo(true);
    }

    @Test
    void aMergedHistogramIsDrawnAsAChart() {
        browser.signIn("alice", "password-alice");
        browser.go("/apps/dose");
        browser.find("#in-events").sendKeys("20000");
        browser.find("details.optional summary").click();
        browser.find("#in-bins").sendKeys("20");
        browser.find("#launch").click();

        browser.await(60, d -> !browser.all("svg.plot").isEmpty());
        assertThat(browser.all("figure.plot")).as("the merged histogram only, not each task's part").hasSize(1);
        assertThat(browser.all("svg.plot rect.series-0")).hasSize(20);
        assertThat(browser.find("figure.plot").getText()).contains("depth-dose.csv", "depth_cm", "edep_mev");
    }

    @Test
    void aFormWithAMissingValueComesBackWithTheMessageNextToTheFieldAndEveryValueKept() {
        browser.signIn("alice", "password-alice");
        browser.go("/apps/pi");
        browser.find("#execution-name").sendKeys("my first try");
        browser.find("details.optional summary").click();
        browser.find("#in-seed").sendKeys("7");

        browser.find("#launch").click();

        browser.awaitVisible("#in-events-error");
        assertThat(browser.path()).isEqualTo("/apps/pi/launch");
        assertThat(browser.find("[data-input=events] #in-events-error").getText()).contains("required");
        assertThat(browser.find("#problems").getText()).contains("Number of events");
        assertThat(browser.find("#in-seed").getAttribute("value")).isEqualTo("7");
        assertThat(browser.find("#execution-name").getAttribute("value")).isEqualTo("my first try");
        assertThat(browser.find("#in-events").getAttribute("aria-invalid")).isEqualTo("true");
    }

    @Test
    void severalValuesForAnInputPreviewAsOneTaskEach() {
        browser.signIn("alice", "password-alice");
        browser.go("/apps/pi");
        browser.find("[data-input=events] details.sweep summary").click();
        browser.find("#lines-events").sendKeys("1000\n2000\n3000");
        browser.find("details.optional summary").click();
        browser.find("[data-input=seed] details.sweep summary").click();
        browser.find("#lines-seed").sendKeys("1\n2");

        browser.await(10, d -> browser.find("#task-count").getText().equals("6 tasks"));
        browser.find("input[name=iterate][value=dot]").click();
        browser.await(10, d -> browser.find("#preview").getText().contains("as many values each")
                || browser.find("#preview").getText().contains("dot product"));
        browser.find("#lines-seed").sendKeys("\n3");
        browser.awaitText("#preview", "3 tasks");
    }

    @Test
    void anotherUsersExecutionAndFilesAreNotFoundPages() {
        var launched = aliceApi.post("/api/v1/executions", ApiClient.json(Map.of("app", "pi", "inputs", Map.of("events", "1000"))));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        String id = launched.json().path("id").asString();

        browser.signIn("bob", "password-bob");
        browser.go("/executions/" + id);
        assertThat(browser.find("h1").getText()).isEqualTo("Not found");
        assertThat(browser.driver().getTitle()).contains("Not found");
        assertThat(browser.fetch(server.url() + "/executions/" + id)).startsWith("404\n");
        assertThat(browser.fetch(server.url() + "/files/download/executions/" + id + "/pi.json")).startsWith("404\n");

        browser.go("/admin");
        assertThat(browser.find("h1").getText()).isEqualTo("Not allowed");
        browser.go("/no/such/page");
        assertThat(browser.find("h1").getText()).isEqualTo("Page not found");
    }

    @Test
    void aKeyCreatedOnTheAccountPageShowsAsActiveAndItsButtonRevokesIt() {
        browser.signIn("alice", "password-alice");
        browser.go("/account");
        browser.find("#label").sendKeys("browser key");
        browser.find("form[action='/account/keys'] button").click();
        String key = browser.awaitVisible("#new-key").getAttribute("value");
        assertThat(new ApiClient(server.url(), key).get("/api/v1/me").status()).isEqualTo(200);
        var row = browser.find("tbody tr");
        assertThat(row.getText()).contains("browser key", "active");

        row.findElement(By.cssSelector("summary")).click();
        row.findElement(By.cssSelector("button.danger")).click();

        browser.awaitText(".notice", "The key is revoked");
        assertThat(browser.find("tbody tr").getText()).contains("browser key", "revoked");
        assertThat(new ApiClient(server.url(), key).get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void everyFormControlOnThePagesHasALabel() {
        browser.signIn("alice", "password-alice");
        for (String page : List.of("/", "/files", "/apps", "/apps/pi", "/executions", "/account")) {
            browser.go(page);
            @SuppressWarnings("unchecked")
            var unlabelled = (List<String>) browser.script("""
                    return Array.from(document.querySelectorAll('input, select, textarea'))
                        .filter(e => e.type !== 'hidden' && e.type !== 'submit')
                        .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                        .map(e => e.outerHTML);""");
            assertThat(unlabelled).as("unlabelled controls on " + page).isEmpty();
        }
    }
}
