package org.escadrille.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.GroupMembership;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Groups through {@code /api/v1/groups}, applications restricted to groups, and executions shared with a
 * group or by a link. Two groups: "neuro" (ann administers it, bob is a member) and "astro" (cat); dan is
 * in none. Whatever belongs to a group is a 404 to outsiders, never a 403.
 */
@Tag("e2e")
class GroupsApiTest {
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
        created(admin.post("/api/v1/groups", "{\"name\": \"neuro\", \"description\": \"Brain imaging\"}"));
        created(admin.post("/api/v1/groups", "{\"name\": \"astro\"}"));
        ok(admin.post("/api/v1/groups/neuro/members", "{\"username\": \"ann\", \"role\": \"ADMIN\"}"));
        ok(ann.post("/api/v1/groups/neuro/members", "{\"username\": \"bob\"}"));
        ok(admin.post("/api/v1/groups/astro/members", "{\"username\": \"cat\"}"));
        publish("neuro-seg", "1");
        publish("neuro-seg", "2");
        publish("astro-fit", "1");
        ok(admin.send("PUT", "/api/v1/apps/neuro-seg/2/groups", "application/json", "{\"groups\": [\"neuro\"]}".getBytes()));
        ok(admin.send("PUT", "/api/v1/apps/astro-fit/1/groups", "application/json", "{\"groups\": [\"astro\"]}".getBytes()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void publish(String name, String version) {
        created(admin.post("/api/v1/apps", """
                {"name": "%s", "tool-version": "%s", "schema-version": "0.5", "description": "A test.",
                 "command-line": "true [N]",
                 "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "optional": true}],
                 "output-files": [{"id": "o", "name": "o", "path-template": "o.txt", "optional": true}]}"""
                .formatted(name, version)));
    }

    private static ApiClient.Response created(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static ApiClient.Response ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    /** A portal page as a browser signed out gets it. */
    private static HttpResponse<String> portalPage(String path) {
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(ApiClient.Response response) {
        var names = new ArrayList<String>();
        ok(response).json().forEach(item -> names.add(item.path("name").asString()));
        return names;
    }

    @Test
    void membersSeeTheirGroupsAndAdminsSeeAll() {
        assertThat(names(admin.get("/api/v1/groups"))).contains("astro", "neuro");
        assertThat(names(bob.get("/api/v1/groups"))).containsExactly("neuro");
        assertThat(names(dan.get("/api/v1/groups"))).isEmpty();

        var neuro = ok(bob.get("/api/v1/groups/neuro")).json();
        assertThat(neuro.path("description").asString()).isEqualTo("Brain imaging");
        assertThat(neuro.path("myRole").asString()).isEqualTo("MEMBER");
        assertThat(neuro.path("members").toString()).contains("\"ann\"", "\"ADMIN\"", "\"bob\"");
        assertThat(server.bean(GroupMembership.class).groupsOf("ann")).containsExactly("neuro");
        assertThat(server.bean(GroupMembership.class).membersOf("neuro")).containsExactly("ann", "bob");
    }

    @Test
    void anotherGroupIsNotFoundNeverForbidden() {
        assertThat(cat.get("/api/v1/groups/neuro").status()).isEqualTo(404);
        assertThat(dan.get("/api/v1/groups/neuro").status()).isEqualTo(404);
        assertThat(cat.post("/api/v1/groups/neuro/members", "{\"username\": \"cat\"}").status()).isEqualTo(404);
        assertThat(cat.delete("/api/v1/groups/neuro/members/bob").status()).isEqualTo(404);
        assertThat(dan.get("/api/v1/groups/no-such-group").status()).isEqualTo(404);
    }

    @Test
    void onlyGroupAdministratorsAndAdminsManageMembers() {
        assertThat(bob.post("/api/v1/groups/neuro/members", "{\"username\": \"dan\"}").status()).isEqualTo(403);
        assertThat(bob.post("/api/v1/groups", "{\"name\": \"mine\"}").status()).isEqualTo(403);
        assertThat(ann.delete("/api/v1/groups/neuro").status()).as("a group administrator does not delete the group").isEqualTo(403);

        ok(ann.post("/api/v1/groups/neuro/members", "{\"username\": \"dan\"}"));
        assertThat(names(dan.get("/api/v1/groups"))).containsExactly("neuro");
        assertThat(ann.delete("/api/v1/groups/neuro/members/dan").status()).isEqualTo(204);
        assertThat(dan.get("/api/v1/groups/neuro").status()).isEqualTo(404);
    }

    @Test
    void badGroupsAndMembersAreRefusedSayingWhatToFix() {
        var badName = admin.post("/api/v1/groups", "{\"name\": \"Bad Name\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body()).contains("lower-case letters");
        assertThat(admin.post("/api/v1/groups", "{\"name\": \"neuro\"}").status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/groups/neuro/members", "{\"username\": \"nobody-here\"}").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/groups/neuro/members", "{\"username\": \"bob\", \"role\": \"OWNER\"}").status()).isEqualTo(400);
        assertThat(admin.send("PUT", "/api/v1/apps/astro-fit/1/groups", "application/json",
                "{\"groups\": [\"no-such-group\"]}".getBytes()).status()).isEqualTo(400);
    }

    @Test
    void aGroupAdministratorSetsRolesAndAnAdminDeletesAGroup() {
        created(admin.post("/api/v1/groups", "{\"name\": \"short-lived\"}"));
        ok(admin.post("/api/v1/groups/short-lived/members", "{\"username\": \"dan\", \"role\": \"ADMIN\"}"));
        ok(dan.post("/api/v1/groups/short-lived/members", "{\"username\": \"cat\"}"));
        var promoted = ok(dan.send("PUT", "/api/v1/groups/short-lived/members/cat", "application/json",
                "{\"role\": \"ADMIN\"}".getBytes())).json();
        assertThat(promoted.path("members").toString()).contains("{\"username\":\"cat\",\"role\":\"ADMIN\"}");

        assertThat(admin.delete("/api/v1/groups/short-lived").status()).isEqualTo(204);
        assertThat(names(cat.get("/api/v1/groups"))).containsExactly("astro");
    }

    @Test
    void aRestrictedVersionIsInvisibleToOutsiders() {
        assertThat(names(dan.get("/api/v1/apps"))).contains("neuro-seg").doesNotContain("astro-fit");
        assertThat(ok(dan.get("/api/v1/apps/neuro-seg")).json().path("version").asString())
                .as("an outsider's newest version is the public one").isEqualTo("1");
        assertThat(ok(bob.get("/api/v1/apps/neuro-seg")).json().path("version").asString()).isEqualTo("2");
        assertThat(cat.get("/api/v1/apps/neuro-seg?version=2").status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/apps/astro-fit").status()).isEqualTo(404);
        assertThat(names(cat.get("/api/v1/apps"))).contains("astro-fit");

        assertThat(dan.post("/api/v1/executions", "{\"app\": \"neuro-seg\", \"version\": \"2\", \"inputs\": {}}").status())
                .isEqualTo(404);
        assertThat(bob.get("/rest/pipelines/astro-fit/1").status()).isEqualTo(404);
        assertThat(bob.get("/rest/pipelines").body()).doesNotContain("astro-fit");
        assertThat(cat.get("/rest/pipelines/astro-fit/1").status()).isEqualTo(200);
        created(bob.post("/api/v1/executions", "{\"app\": \"neuro-seg\", \"version\": \"2\", \"inputs\": {}}"));
    }

    @Test
    void onlyAdminsRestrictApplications() {
        assertThat(ann.send("PUT", "/api/v1/apps/neuro-seg/1/groups", "application/json",
                "{\"groups\": [\"neuro\"]}".getBytes()).status()).isEqualTo(403);
        assertThat(ok(admin.get("/api/v1/apps/neuro-seg/2/groups")).json().path("groups").toString()).isEqualTo("[\"neuro\"]");
    }

    @Test
    void anExecutionSharedWithAGroupIsReadOnlyForItsMembers() {
        String id = cat.launch(Map.of("app", "astro-fit", "inputs", Map.of()));
        assertThat(dan.get("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(cat.post("/api/v1/executions/" + id + "/shares", "{\"group\": \"neuro\"}").status())
                .as("not one of cat's groups").isEqualTo(404);
        var eve = server.newUser("eve");
        ok(admin.post("/api/v1/groups/astro/members", "{\"username\": \"eve\"}"));
        assertThat(eve.get("/api/v1/executions/" + id).status()).as("not shared yet").isEqualTo(404);

        created(cat.post("/api/v1/executions/" + id + "/shares", "{\"group\": \"astro\"}"));
        assertThat(eve.get("/api/v1/executions/" + id).status()).isEqualTo(200);
        assertThat(eve.get("/api/v1/executions/" + id + "/tasks").status()).isEqualTo(200);
        assertThat(eve.post("/api/v1/executions/" + id + "/kill", "").status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/executions/" + id).status()).isEqualTo(404);

        assertThat(cat.delete("/api/v1/executions/" + id + "/shares?group=astro").status()).isEqualTo(204);
        assertThat(eve.get("/api/v1/executions/" + id).status()).isEqualTo(404);
    }

    @Test
    void aDeletedGroupsSharesDoNotPassToANewGroupOfTheSameName() {
        created(admin.post("/api/v1/groups", "{\"name\": \"reborn\"}"));
        ok(admin.post("/api/v1/groups/reborn/members", "{\"username\": \"cat\"}"));
        String id = cat.launch(Map.of("app", "astro-fit", "inputs", Map.of()));
        created(cat.post("/api/v1/executions/" + id + "/shares", "{\"group\": \"reborn\"}"));

        assertThat(admin.delete("/api/v1/groups/reborn").status()).isEqualTo(204);
        created(admin.post("/api/v1/groups", "{\"name\": \"reborn\"}"));
        var frank = server.newUser("frank");
        ok(admin.post("/api/v1/groups/reborn/members", "{\"username\": \"frank\"}"));

        assertThat(frank.get("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(ok(cat.get("/api/v1/executions/" + id + "/shares")).body()).doesNotContain("reborn");
    }

    @Test
    void aGroupAdministratorReadsTheMembersExecutions() {
        String id = bob.launch(Map.of("app", "neuro-seg", "inputs", Map.of()));

        assertThat(ann.get("/api/v1/executions/" + id).status()).isEqualTo(200);
        assertThat(ok(ann.get("/api/v1/executions?owner=bob")).body()).contains(id);
        assertThat(ann.post("/api/v1/executions/" + id + "/kill", "").status()).isEqualTo(404);
        assertThat(cat.get("/api/v1/executions/" + id).status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/executions?owner=ann").status()).as("bob administers no group").isEqualTo(403);
        assertThat(ann.get("/api/v1/executions?owner=cat").status()).isEqualTo(403);
    }

    @Test
    void aLinkShowsTheExecutionAndItsOutputsSignedOutUntilRevoked() {
        String id = cat.launch(Map.of("app", "pi", "split", "none", "inputs", Map.of("events", "100000", "seed", 3)));
        var ended = cat.awaitEnd(id, Duration.ofSeconds(60));
        assertThat(ended.path("status").asString()).isEqualTo("Finished");
        String output = ended.path("outputs").get(0).path("path").asString();

        var link = created(cat.post("/api/v1/executions/" + id + "/shares", "{\"link\": true}")).json();
        String token = link.path("token").asString();
        assertThat(link.path("url").asString()).endsWith("/shared/" + token);
        var signedOut = new ApiClient(server.url(), null);
        assertThat(ok(signedOut.get("/api/v1/shared/" + token)).json().path("id").asString()).isEqualTo(id);
        var file = signedOut.get("/api/v1/shared/" + token + "/outputs/" + output);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.headers().firstValue("X-Escadrille-SHA256")).isPresent();
        assertThat(signedOut.get("/api/v1/shared/" + token + "/outputs/not/an/output").status()).isEqualTo(404);
        assertThat(ok(cat.get("/api/v1/executions/" + id + "/shares")).body()).doesNotContain(token);
        assertThat(dan.delete("/api/v1/executions/" + id + "/shares?link=true").status()).isEqualTo(404);

        var page = portalPage("/shared/" + token);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(output, "Shared by cat");

        assertThat(cat.delete("/api/v1/executions/" + id + "/shares?link=true").status()).isEqualTo(204);
        assertThat(signedOut.get("/api/v1/shared/" + token).status()).isEqualTo(404);
        assertThat(portalPage("/shared/" + token).statusCode()).isEqualTo(404);
        assertThat(signedOut.get("/api/v1/shared/" + token + "/outputs/" + output).status()).isEqualTo(404);
        assertThat(signedOut.get("/api/v1/shared/" + "x".repeat(43)).status()).isEqualTo(404);
    }
}
