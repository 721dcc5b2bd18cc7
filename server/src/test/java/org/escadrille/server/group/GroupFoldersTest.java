package org.escadrille.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.PortalVisitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Groups' shared folders: {@code groups/<group>/...} in the files API and the data manager,
 * {@code /vip/<group>/...} in CARMIN, and their files as inputs of any member's launch, with real local
 * pilots. "neuro" has ann (its administrator) and bob; "astro" has cat; dan is in none (and other
 * tests make groups of their own, with users of their own). Another group's
 * folder is a 404, never a 403.
 */
@Tag("e2e")
class GroupFoldersTest {
    private static final String COPY = """
            {"name": "copy-file", "tool-version": "1.0", "schema-version": "0.5",
             "description": "Copies a file.",
             "command-line": "cat [INPUT] > copy.txt",
             "inputs": [{"id": "input", "name": "Input file", "type": "File", "value-key": "[INPUT]"}],
             "output-files": [{"id": "copy", "name": "Copy", "path-template": "copy.txt"}]}""";

    private static TestServer server;
    private static ApiClient admin;
    private static ApiClient ann;
    private static ApiClient bob;
    private static ApiClient cat;
    private static ApiClient dan;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).start();
        admin = server.admin();
        ann = server.newUser("ann");
        bob = server.newUser("bob");
        cat = server.newUser("cat");
        dan = server.newUser("dan");
        status(admin.post("/api/v1/groups", "{\"name\": \"neuro\"}"), 201);
        status(admin.post("/api/v1/groups", "{\"name\": \"astro\"}"), 201);
        status(admin.post("/api/v1/groups/neuro/members", "{\"username\": \"ann\", \"role\": \"ADMIN\"}"), 200);
        status(admin.post("/api/v1/groups/neuro/members", "{\"username\": \"bob\"}"), 200);
        status(admin.post("/api/v1/groups/astro/members", "{\"username\": \"cat\"}"), 200);
        status(admin.post("/api/v1/apps", COPY), 201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiClient.Response status(ApiClient.Response response, int expected) {
        assertThat(response.status()).as(response.body()).isEqualTo(expected);
        return response;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> entries(ApiClient client, String dir) {
        var names = new ArrayList<String>();
        status(client.get("/api/v1/files?dir=" + dir), 200).json().path("entries")
                .forEach(entry -> names.add(entry.path("path").asString()));
        return names;
    }

    @Test
    void aMemberWritesAndAnotherMemberReadsListsAndReplaces() {
        status(bob.put("/api/v1/files/groups/neuro/scans/a.txt", text("from bob")), 201);

        assertThat(ann.get("/api/v1/files/groups/neuro/scans/a.txt").body()).isEqualTo("from bob");
        assertThat(entries(ann, "")).contains("groups");
        assertThat(entries(ann, "groups")).containsExactly("groups/neuro");
        assertThat(entries(ann, "groups/neuro")).contains("groups/neuro/scans");
        assertThat(entries(ann, "groups/neuro/scans")).containsExactly("groups/neuro/scans/a.txt");
        status(ann.put("/api/v1/files/groups/neuro/scans/a.txt", text("from ann")), 201);
        assertThat(bob.get("/api/v1/files/groups/neuro/scans/a.txt").body()).isEqualTo("from ann");
        assertThat(bob.get("/api/v1/files/scans/a.txt").status()).as("not in bob's own space").isEqualTo(404);
        assertThat(bob.get("/api/v1/me").json().path("storage").path("usedBytes").asLong())
                .as("a group's folder counts against no user's quota").isZero();
    }

    @Test
    void anotherGroupsFolderIsNotFoundNeverForbidden() {
        status(bob.put("/api/v1/files/groups/neuro/private.txt", text("neuro only")), 201);

        for (ApiClient outsider : List.of(cat, dan)) {
            assertThat(outsider.get("/api/v1/files/groups/neuro/private.txt").status()).isEqualTo(404);
            assertThat(outsider.get("/api/v1/files?dir=groups/neuro").status()).isEqualTo(404);
            assertThat(outsider.put("/api/v1/files/groups/neuro/planted.txt", text("x")).status()).isEqualTo(404);
            assertThat(outsider.delete("/api/v1/files/groups/neuro/private.txt").status()).isEqualTo(404);
        }
        assertThat(entries(cat, "groups")).containsExactly("groups/astro");
        assertThat(entries(dan, "")).doesNotContain("groups");
        assertThat(ann.get("/api/v1/files/groups/astro").status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/files/groups/neuro/private.txt").body()).isEqualTo("neuro only");
        assertThat(bob.get("/api/v1/files/groups/neuro/planted.txt").status()).isEqualTo(404);
    }

    @Test
    void carminShowsTheHomeAndEachGroupsFolderUnderVip() {
        status(ann.put("/api/v1/files/groups/neuro/vip.txt", text("through vip")), 201);
        status(bob.send("PUT", "/rest/path/vip/neuro/from-carmin.txt", "application/octet-stream", text("carmin")), 201);

        assertThat(status(ann.get("/rest/path/vip?action=list"), 200).body())
                .contains("\"/vip/Home\"", "\"/vip/neuro\"").doesNotContain("/vip/astro");
        assertThat(status(ann.get("/rest/path/vip/neuro?action=list"), 200).body())
                .contains("/vip/neuro/vip.txt", "/vip/neuro/from-carmin.txt");
        assertThat(ann.get("/rest/path/vip/neuro/from-carmin.txt?action=content").body()).isEqualTo("carmin");
        assertThat(ann.get("/rest/path/vip/neuro/vip.txt?action=exists").json().path("exists").asBoolean()).isTrue();

        assertThat(cat.get("/rest/path/vip/neuro/vip.txt?action=exists").json().path("exists").asBoolean()).isFalse();
        assertThat(cat.get("/rest/path/vip/neuro/vip.txt?action=properties").status()).isEqualTo(404);
        assertThat(cat.get("/rest/path/vip/neuro/vip.txt?action=content").status()).isEqualTo(404);
        assertThat(cat.get("/rest/path/vip/neuro?action=list").status()).isEqualTo(404);
        assertThat(cat.delete("/rest/path/vip/neuro/vip.txt").status()).isEqualTo(404);
        assertThat(status(cat.get("/rest/path/vip?action=list"), 200).body()).contains("/vip/astro").doesNotContain("neuro");
    }

    @Test
    void aMembersFileIsAnInputOfAnotherMembersLaunchAndNotFoundForOutsiders() {
        status(bob.put("/api/v1/files/groups/neuro/input.txt", text("shared input")), 201);

        String id = ann.launch(Map.of("app", "copy-file", "inputs", Map.of("input", "groups/neuro/input.txt")));
        var execution = ann.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        String output = execution.path("outputs").get(0).path("path").asString();
        assertThat(ann.get("/api/v1/files/" + output).body()).isEqualTo("shared input");

        var refused = cat.post("/api/v1/executions", ApiClient.json(
                Map.of("app", "copy-file", "inputs", Map.of("input", "groups/neuro/input.txt"))));
        assertThat(refused.status()).as(refused.body()).isEqualTo(404);
        assertThat(refused.body()).contains("groups/neuro/input.txt");
    }

    @Test
    void carminLaunchesTakeAGroupsFileAsVipPath() {
        status(bob.put("/api/v1/files/groups/neuro/carmin-input.txt", text("carmin input")), 201);
        String launch = """
                {"name": "from-group", "pipelineIdentifier": "copy-file/1.0",
                 "inputValues": {"input": "/vip/neuro/carmin-input.txt"}}""";

        var launched = status(ann.post("/rest/executions", launch), 200);
        String id = launched.json().path("identifier").asString();
        var execution = ann.awaitEnd(id, Duration.ofSeconds(60));
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        assertThat(ann.get("/rest/executions/" + id).json().path("inputValues").path("input").asString())
                .isEqualTo("/vip/neuro/carmin-input.txt");

        assertThat(dan.post("/rest/executions", launch).status()).isEqualTo(404);
    }

    @Test
    void aCarminLaunchWritesItsResultsIntoAGroupsFolderOnlyForAMember() {
        status(ann.put("/api/v1/files/in-home.txt", text("to share")), 201);
        String launch = """
                {"name": "into-group", "pipelineIdentifier": "copy-file/1.0",
                 "inputValues": {"input": "/vip/Home/in-home.txt"}, "resultsLocation": "/vip/neuro/results"}""";

        String id = status(ann.post("/rest/executions", launch), 200).json().path("identifier").asString();
        var execution = ann.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        String output = execution.path("outputs").get(0).path("path").asString();
        assertThat(output).startsWith("groups/neuro/results/");
        assertThat(bob.get("/api/v1/files/" + output).body()).as("another member reads the results").isEqualTo("to share");
        assertThat(ann.get("/rest/executions/" + id + "/results").body()).contains("/vip/neuro/results/");

        status(cat.put("/api/v1/files/in-home.txt", text("cat's")), 201);
        assertThat(cat.post("/rest/executions", launch).status()).as("an outsider's results go nowhere near it").isEqualTo(404);
    }

    @Test
    void theDataManagerAndTheLaunchFormShowAMembersGroupFoldersOnly() {
        status(bob.put("/api/v1/files/groups/neuro/portal.txt", text("portal")), 201);
        var annBrowser = new PortalVisitor(server.url(), "203.0.113.41");
        annBrowser.signIn("ann", "password-ann");
        var catBrowser = new PortalVisitor(server.url(), "203.0.113.42");
        catBrowser.signIn("cat", "password-cat");

        var page = annBrowser.get("/files?dir=groups/neuro");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("portal.txt");
        assertThat(annBrowser.get("/files/download/groups/neuro/portal.txt").body()).isEqualTo("portal");
        assertThat(annBrowser.get("/apps/copy-file").body()).contains("value=\"groups/neuro/portal.txt\"")
                .as("the folder of groups holds no file to sweep over").doesNotContain("value=\"groups\"");

        assertThat(catBrowser.get("/files?dir=groups/neuro").statusCode()).isEqualTo(404);
        assertThat(catBrowser.get("/files/download/groups/neuro/portal.txt").statusCode()).isEqualTo(404);
        assertThat(catBrowser.get("/apps/copy-file").body()).doesNotContain("groups/neuro");
    }

    @Test
    void theSweeperKeepsGroupFilesAndRemovesWhatNoRecordNames() throws Exception {
        status(bob.put("/api/v1/files/groups/neuro/kept.txt", text("kept")), 201);
        Path kept = server.dataDir().resolve("storage/groups/neuro/kept.txt");
        Path stray = server.dataDir().resolve("storage/groups/neuro/stray.txt");
        Files.writeString(stray, "no record");
        for (Path old : List.of(kept, stray)) {
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        }

        status(admin.post("/api/v1/storage/orphan-sweeps", "{}"), 200);

        assertThat(kept).exists();
        assertThat(stray).doesNotExist();
        assertThat(bob.get("/api/v1/files/groups/neuro/kept.txt").body()).isEqualTo("kept");
    }

    @Test
    void aDeletedGroupsFolderGoesWithItAndANewGroupOfTheSameNameStartsEmpty() {
        status(admin.post("/api/v1/groups", "{\"name\": \"gone\"}"), 201);
        status(admin.post("/api/v1/groups/gone/members", "{\"username\": \"bob\"}"), 200);
        status(bob.put("/api/v1/files/groups/gone/left.txt", text("old team")), 201);

        status(admin.delete("/api/v1/groups/gone"), 204);
        status(admin.post("/api/v1/groups", "{\"name\": \"gone\"}"), 201);
        ApiClient eve = server.newUser("eve");
        status(admin.post("/api/v1/groups/gone/members", "{\"username\": \"eve\"}"), 200);

        assertThat(bob.get("/api/v1/files/groups/gone/left.txt").status()).isEqualTo(404);
        assertThat(eve.get("/api/v1/files/groups/gone/left.txt").status()).isEqualTo(404);
        assertThat(entries(eve, "groups/gone")).isEmpty();
        assertThat(server.dataDir().resolve("storage/groups/gone/left.txt")).doesNotExist();
    }
}
