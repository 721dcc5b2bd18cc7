package org.escadrille.server.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/sites}: admins only, every bad field a 400 naming it, the local site from the
 * configuration, manual sites' tokens (shown once, rotated, revoked) and the pilots they admit.
 */
@Tag("e2e")
class SitesApiTest {
    private static final String REGISTRATION = """
            {"host": "lab-1", "slots": 2, "memoryMb": 1024, "tags": [], "pilotVersion": "test", "javaVersion": "25"}""";
    private static TestServer server;
    private static ApiClient admin;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).property("escadrille.local.tags", "laptop").start();
        admin = server.admin();
        alice = server.newUser("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sitesAreForAdminsOnly() {
        assertThat(alice.get("/api/v1/sites").status()).isEqualTo(403);
        assertThat(alice.post("/api/v1/sites", "{\"name\": \"mine\", \"kind\": \"manual\"}").status()).isEqualTo(403);
        assertThat(new ApiClient(server.url(), null).get("/api/v1/sites").status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/sites/mine").status()).as("alice made none").isEqualTo(404);
    }

    @Test
    void theLocalSiteComesFromTheConfigurationAndCannotBeRemovedOrReconfigured() {
        var local = admin.get("/api/v1/sites/local");

        assertThat(local.status()).isEqualTo(200);
        assertThat(local.json().path("kind").asString()).isEqualTo("local");
        assertThat(local.json().path("tags").get(0).asString()).isEqualTo("laptop");
        assertThat(local.json().path("limits").path("slotsPerPilot").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/api/v1/sites/local").json()
                .path("health").path("pilotsRunning").asInt() == 1);
        var removal = admin.delete("/api/v1/sites/local");
        assertThat(removal.status()).isEqualTo(409);
        assertThat(removal.json().path("detail").asString()).contains("local site cannot be removed");
        var change = patch("/api/v1/sites/local", "{\"maxRunning\": 5}");
        assertThat(change.status()).isEqualTo(409);
        assertThat(change.json().path("detail").asString()).contains("escadrille.local");
    }

    @Test
    void badFieldsAreRefusedNamingThem() {
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"Bad Name\", \"kind\": \"manual\"}"), 400))
                .contains("1 to 40 of a-z");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"x\", \"kind\": \"condor\"}"), 400))
                .contains("kind", "manual", "local");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"x\", \"kind\": \"manual\", \"settings\": {\"partition\": \"debug\"}}"), 400))
                .contains("unknown setting(s) [partition]");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"x\", \"kind\": \"manual\", \"slotsPerPilot\": 8, \"maxSlots\": 4}"), 400))
                .contains("maxSlots (4)");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"x\", \"kind\": \"manual\", \"maxQueued\": -1}"), 400))
                .contains("maxQueued must be from 0");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"x\", \"kind\": \"manual\", \"tags\": [\"a,b\"]}"), 400))
                .contains("tag");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"x\", \"kind\": \"local\"}"), 400))
                .contains("configuration");
        admin.post("/api/v1/sites", "{\"name\": \"twice\", \"kind\": \"manual\"}");
        assertThat(detail(admin.post("/api/v1/sites", "{\"name\": \"twice\", \"kind\": \"manual\"}"), 409)).contains("exists");
    }

    @Test
    void aManualSitesTokenIsShownOnceAndAdmitsPilotsWithinTheSitesLimits() throws Exception {
        var created = admin.post("/api/v1/sites", ApiClient.json(Map.of("name", "lab", "kind", "manual", "maxRunning", 1,
                "slotsPerPilot", 2, "tags", List.of("gpu"))));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().path("token").asString();
        assertThat(created.json().path("command").asString())
                .isEqualTo("java -jar escadrille-pilot.jar --server " + server.url() + " --token " + token + " --slots 2");
        assertThat(admin.get("/api/v1/sites/lab").body()).doesNotContain(token).contains("\"token\":null");

        var first = register(token);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("sessionToken");
        var second = register(token);
        assertThat(second.statusCode()).as("maxRunning is 1").isEqualTo(503);
        assertThat(second.body()).contains("site lab has 1 pilot(s)", "maxRunning 1");
        var health = admin.get("/api/v1/sites/lab").json().path("health");
        assertThat(health.path("pilotsRunning").asInt()).isEqualTo(1);
        assertThat(health.path("slots").asInt()).isEqualTo(2);

        var removal = admin.delete("/api/v1/sites/lab");
        assertThat(removal.status()).isEqualTo(409);
        assertThat(removal.json().path("detail").asString()).contains("1 pilot(s) alive");
        assertThat(admin.get("/api/v1/audit").body()).contains("site.add");
    }

    @Test
    void aRotatedOrRevokedTokenOrADisabledSiteAdmitsNoPilot() throws Exception {
        String first = admin.post("/api/v1/sites", "{\"name\": \"hosts\", \"kind\": \"manual\"}").json().path("token").asString();
        var rotated = admin.post("/api/v1/sites/hosts/token", "");
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.json().path("token").asString();
        assertThat(second).isNotEqualTo(first);
        assertThat(register(first).statusCode()).isEqualTo(401);
        assertThat(register(first).body()).contains("rotated or revoked");

        assertThat(patch("/api/v1/sites/hosts", "{\"enabled\": false}").json().path("enabled").asBoolean()).isFalse();
        var refused = register(second);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("site hosts is disabled");

        patch("/api/v1/sites/hosts", "{\"enabled\": true}");
        assertThat(admin.delete("/api/v1/sites/hosts/token").status()).isEqualTo(204);
        assertThat(register(second).statusCode()).isEqualTo(401);
        assertThat(admin.delete("/api/v1/sites/hosts").status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/sites/hosts").status()).isEqualTo(404);
    }

    @Test
    void theKindsListTheirSettings() {
        var kinds = admin.get("/api/v1/site-kinds");

        assertThat(kinds.status()).isEqualTo(200);
        assertThat(kinds.json().path("local").path("jvm-options").asString()).contains("JVM options");
        assertThat(kinds.json().path("local").path("idle-timeout").asString()).contains("without work");
        // A manual site has no engine: only the footprint's settings (docs/footprint.md).
        assertThat(kinds.json().path("manual").propertyNames()).containsExactlyInAnyOrder("pue", "carbon-intensity");
        assertThat(kinds.json().path("local").path("pue").asString()).contains("power usage effectiveness");
        assertThat(alice.get("/api/v1/site-kinds").status()).isEqualTo(403);
    }

    @Test
    void onlyManualSitesHaveTokens() {
        assertThat(detail(admin.post("/api/v1/sites/local/token", ""), 409)).contains("only manual sites have a token");
    }

    @Test
    void aPilotOfADisabledSiteDrains() {
        var created = admin.post("/api/v1/sites", "{\"name\": \"drained\", \"kind\": \"manual\"}");
        var pilot = server.bean(PilotRegistry.class).mint("manual", "drained");
        var factory = server.bean(SiteFactory.class);
        assertThat(created.status()).isEqualTo(201);
        assertThat(factory.shouldDrain(pilot.pilotId())).isFalse();

        patch("/api/v1/sites/drained", "{\"enabled\": false}");

        await().atMost(Duration.ofSeconds(10)).until(() -> factory.shouldDrain(pilot.pilotId()));
    }

    @Test
    void thePilotJarIsServedToAnyone() throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/pilot.jar")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).contains("filename=\"escadrille-pilot.jar\""));
        assertThat(response.body()).startsWith((byte) 'P', (byte) 'K');
    }

    @Test
    void theAdminPageListsTheSitesAndDisablesOneWithAForm() throws Exception {
        admin.post("/api/v1/sites", "{\"name\": \"paged\", \"kind\": \"manual\"}");
        var http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        String password = java.nio.file.Files.readString(server.dataDir().resolve("admin.password")).strip();
        postForm(http, "/login", "/login", "username=admin&password=" + password);

        var page = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("id=\"sites\"", ">paged<", ">local<", "Disable");
        var disabled = postForm(http, "/admin", "/admin/sites/paged/enabled", "enabled=false");

        assertThat(disabled.statusCode()).isEqualTo(302);
        assertThat(admin.get("/api/v1/sites/paged").json().path("enabled").asBoolean()).isFalse();
        assertThat(admin.get("/api/v1/audit").body()).contains("paged: disabled");
        String localPilot = server.bean(SiteFactory.class).localBackend().orElseThrow().active().iterator().next();
        var log = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/admin/pilots/" + localPilot + "/log")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(alice.get("/admin/pilots/" + localPilot + "/log").status()).as("an API key is not a portal session")
                .isNotEqualTo(200);
    }

    private static HttpResponse<String> postForm(HttpClient http, String formPage, String action, String fields) throws Exception {
        var page = http.send(HttpRequest.newBuilder(URI.create(server.url() + formPage)).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        var csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + action)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + java.net.URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                        + "&" + fields)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ApiClient.Response patch(String path, String json) {
        return admin.send("PATCH", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static String detail(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.json().path("detail").asString();
    }

    private static HttpResponse<String> register(String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/pilot/v1/register"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REGISTRATION)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
