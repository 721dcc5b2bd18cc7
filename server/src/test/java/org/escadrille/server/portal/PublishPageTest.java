package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer publishes a descriptor on the portal, pasted or from a file, sees a bad one's problems
 * under the lines of the fields they concern, and manages the versions they published (deleted, or
 * withdrawn when an execution used it, and listed again); someone with the user role gets no such page.
 */
@Tag("e2e")
class PublishPageTest {
    static final String GOOD = """
            {
              "name": "%s",
              "tool-version": "%s",
              "schema-version": "0.5",
              "description": "Counts the lines of a file.",
              "command-line": "wc -l < [INPUT] > lines.txt",
              "inputs": [{"id": "input", "name": "Input file", "type": "File", "value-key": "[INPUT]"}],
              "output-files": [{"id": "lines", "name": "Line count", "path-template": "lines.txt"}]
            }""";
    static final String BAD = """
            {
              "name": "broken",
              "tool-version": "1.0",
              "schema-version": "0.5",
              "description": "Two mistakes.",
              "command-line": "echo [A]",
              "inputs": [
                {"id": "a", "name": "A", "type": "Strin", "value-key": "[A]"}
              ],
              "output-files": [
                {"id": "out", "name": "Output"}
              ]
            }""";
    private static TestServer server;
    private static Browser browser;
    private static ApiClient dora;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(false).start();
        var accounts = server.bean(AccountService.class);
        var account = accounts.createUser("dora", "password-dora", Account.Role.DEVELOPER);
        dora = new ApiClient(server.url(), accounts.newApiKey(account, "test"));
        server.newUser("uma");
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

    /** Sets the box's text at once (typing a descriptor key by key takes seconds and meets auto-indent nowhere). */
    private static void paste(String text) {
        browser.script("document.getElementById('descriptor').value = arguments[0]", text);
    }

    @Test
    void aGoodDescriptorPastedIsPublishedAndListedWithItsVersions() {
        browser.signIn("dora", "password-dora");
        browser.find("nav[aria-label=Main] a[href='/publish']").click();
        paste(GOOD.formatted("linecount", "1.0"));
        browser.find("#publish").click();

        assertThat(browser.awaitText(".notice", "Published")).contains("linecount 1.0");
        assertThat(dora.get("/api/v1/apps/linecount").status()).isEqualTo(200);
        paste(GOOD.formatted("linecount", "2.0"));
        browser.find("#publish").click();
        browser.awaitText(".notice", "linecount 2.0");
        assertThat(browser.find("#versions").getText()).contains("linecount", "1.0", "2.0", "In the catalogue");
        assertThat(browser.find("#versions tbody tr").getText()).as("newest first").contains("2.0");
    }

    @Test
    void aBadDescriptorShowsEachProblemUnderTheLineOfItsFieldAndKeepsTheText() {
        browser.signIn("dora", "password-dora");
        browser.go("/publish");
        paste(BAD);
        browser.find("#publish").click();

        assertThat(browser.awaitText("#publish-problems", "problem")).contains("Invalid descriptor");
        var typeLine = browser.find("#line-8");
        assertThat(typeLine.getAttribute("class")).contains("flagged");
        assertThat(typeLine.getText()).contains("\"Strin\"", "/inputs/0/type");
        assertThat(browser.find("#line-11").getText()).as("a second problem, under its own line")
                .contains("/output-files/0", "path-template");
        assertThat(browser.find("#descriptor").getAttribute("value")).isEqualTo(BAD);
        assertThat(browser.all(".review-line.flagged")).allSatisfy(line ->
                assertThat(line.getText()).doesNotContain("\"description\""));
        assertThat(dora.get("/api/v1/apps/broken").status()).isEqualTo(404);
    }

    @Test
    void aDescriptorFileIsReadIntoTheBoxAndPublished(@TempDir Path temp) throws Exception {
        Path file = Files.writeString(temp.resolve("wordcount.json"), GOOD.formatted("wordcount", "1.0"));
        browser.signIn("dora", "password-dora");
        browser.go("/publish");

        browser.find("#descriptor-file").sendKeys(file.toString());
        browser.await(10, d -> browser.find("#descriptor").getAttribute("value").contains("wordcount"));
        browser.find("#publish").click();

        assertThat(browser.awaitText(".notice", "Published")).contains("wordcount 1.0");
    }

    @Test
    void aVersionAnExecutionUsedIsWithdrawnThenListedAgainAndAnUnusedOneIsDeleted() {
        assertThat(dora.post("/api/v1/apps", GOOD.formatted("charcount", "1.0")).status()).isEqualTo(201);
        assertThat(dora.post("/api/v1/apps", GOOD.formatted("charcount", "2.0")).status()).isEqualTo(201);
        dora.put("/api/v1/files/in.txt", "a\nb\n".getBytes());
        dora.launch(Map.of("app", "charcount", "version", "1.0", "inputs", Map.of("input", "in.txt")));
        browser.signIn("dora", "password-dora");
        browser.go("/publish");

        browser.find("#version-charcount-1\\.0 summary").click();
        browser.find("#version-charcount-1\\.0 button.danger").click();
        assertThat(browser.awaitText(".notice", "withdrawn")).contains("charcount 1.0");
        assertThat(browser.find("#version-charcount-1\\.0").getText()).contains("Withdrawn");
        browser.find("#version-charcount-2\\.0 summary").click();
        browser.find("#version-charcount-2\\.0 button.danger").click();
        assertThat(browser.awaitText(".notice", "deleted")).contains("charcount 2.0");
        assertThat(browser.all("#version-charcount-2\\.0")).isEmpty();
        browser.find("#version-charcount-1\\.0 button.secondary").click();
        browser.awaitText(".notice", "again");
        assertThat(browser.find("#version-charcount-1\\.0").getText()).contains("In the catalogue");
        assertThat(dora.get("/api/v1/apps/charcount?version=1.0").status()).isEqualTo(200);
    }

    @Test
    void someoneWithTheUserRoleHasNoPublishPage() {
        browser.signIn("uma", "password-uma");
        assertThat(browser.find("nav[aria-label=Main]").getText()).doesNotContain("Publish");
        browser.go("/publish");
        assertThat(browser.find("h1").getText()).doesNotContain("Publish");
        assertThat(browser.fetch(server.url() + "/publish")).startsWith("403");
    }
}
