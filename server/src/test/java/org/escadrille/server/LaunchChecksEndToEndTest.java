package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.Input;
import org.escadrille.server.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The launch path never makes a wrong result that looks right. Every built-in application, launched with
 * one of its required inputs left out (or all of them), is refused naming that input: through the API,
 * the portal's launch form (every value kept) and its live preview, which must not announce a task (bosh
 * lets an empty invocation through, and {@code sha256sum > '[INPUT].sha256'} hashed empty stdin). A
 * user's file named like an option stays a file; an image string holding options is not published; a
 * Monte-Carlo run launched without a seed is a new sample. (No pilots: nothing needs to run.)
 */
@Tag("e2e")
class LaunchChecksEndToEndTest {
    private static final List<String> BUILT_IN = List.of("pi", "dose", "gzip", "sha256sum", "imagemagick-resize");
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static TestServer server;
    private static ApiClient erin;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        erin = server.newUser("erin");
        assertThat(erin.put("/api/v1/files/data/notes.txt", "some notes\n".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theApiRefusesEachBuiltInApplicationWithoutARequiredInputNamingIt() {
        for (String app : BUILT_IN) {
            var complete = completeInputs(app);
            assertThat(complete).as("%s has required inputs", app).isNotEmpty();
            assertThat(launch(app, complete).status()).as("%s with every required input", app).isEqualTo(201);
            for (String missing : complete.keySet()) {
                var inputs = new LinkedHashMap<>(complete);
                inputs.remove(missing);

                var response = launch(app, inputs);

                assertThat(response.status()).as("%s without %s: %s", app, missing, response.body()).isEqualTo(400);
                assertThat(response.json().path("detail").asString()).contains(missing);
                assertThat(response.json().path("errors").valueStream().map(e -> e.path("field").asString()))
                        .contains("inputs." + missing);
            }
            var none = launch(app, Map.of());
            assertThat(none.status()).as("%s with no input at all: %s", app, none.body()).isEqualTo(400);
            assertThat(none.json().path("errors").valueStream().map(e -> e.path("field").asString()))
                    .containsAll(complete.keySet().stream().map(id -> "inputs." + id).toList());
        }
    }

    @Test
    void thePortalPreviewAnnouncesNoTaskAndNamesEachMissingInput() throws Exception {
        var portal = signedIn();
        for (String app : BUILT_IN) {
            var complete = completeInputs(app);
            assertThat(portal.post("/apps/" + app + "/preview", complete).body()).as(app).contains("task-count");
            for (String missing : complete.keySet()) {
                var inputs = new LinkedHashMap<>(complete);
                inputs.remove(missing);

                String preview = portal.post("/apps/" + app + "/preview", inputs).body();

                assertThat(preview).as("%s without %s", app, missing)
                        .doesNotContain("task-count")
                        .contains(inputName(app, missing) + ": required: fill this in");
            }
        }
    }

    @Test
    void thePortalLaunchFormComesBackWithTheProblemByTheFieldAndEveryValueKept() throws Exception {
        var portal = signedIn();

        var page = portal.send(portal.form("/apps/sha256sum/launch", "name=checksum+of+nothing&_csrf="
                + URLEncoder.encode(portal.csrf(), StandardCharsets.UTF_8)));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("class=\"field-error\">required: fill this in")
                .contains("value=\"checksum of nothing\"");
    }

    @Test
    void aFileNamedLikeAnOptionReachesTheToolAsAPath() throws Exception {
        assertThat(erin.put("/api/v1/files/data/--help", "not an option\n".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(201);

        var launched = launch("gzip", Map.of("input", "data/--help"));

        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        var tasks = erin.get("/api/v1/executions/" + launched.json().path("id").asString() + "/tasks").json();
        assertThat(tasks.get(0).path("commandLine").asString()).isEqualTo("gzip --keep --no-name ./--help");
        assertThat(signedIn().post("/apps/gzip/preview", Map.of("input", "data/--help")).body())
                .contains("gzip --keep --no-name ./--help");
    }

    @Test
    void aContainerImageThatHoldsOptionsIsNotPublished() {
        var response = server.admin().post("/api/v1/apps", """
                {"name": "escape", "tool-version": "1.0", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [WORD]",
                 "container-image": {"type": "docker", "image": "--privileged -v /:/host alpine"},
                 "inputs": [{"id": "word", "name": "Word", "type": "String", "value-key": "[WORD]"}]}""");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("container-image.image");
        assertThat(response.json().path("detail").asString()).contains("--privileged -v /:/host alpine", "debian:12");
        var fine = server.admin().post("/api/v1/apps", """
                {"name": "contained", "tool-version": "1.0", "schema-version": "0.5", "description": "d",
                 "command-line": "echo [WORD]", "container-image": {"type": "docker", "image": "ghcr.io/team/tool:1.2"},
                 "inputs": [{"id": "word", "name": "Word", "type": "String", "value-key": "[WORD]"}]}""");
        assertThat(fine.status()).as(fine.body()).isIn(200, 201);
    }

    @Test
    void aMonteCarloRunLaunchedWithoutASeedDrawsOneAndRecordsIt() {
        long first = firstSeed(launch("pi", Map.of("events", "1000")));
        long second = firstSeed(launch("pi", Map.of("events", "1000")));
        long given = firstSeed(launch("pi", Map.of("events", "1000", "seed", "7")));

        assertThat(first).isNotEqualTo(second).isNotEqualTo(42);
        assertThat(given).isEqualTo(7);
    }

    private static long firstSeed(ApiClient.Response launched) {
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        return launched.json().path("monteCarlo").path("tasks").get(0).path("seed").asLong();
    }

    private static ApiClient.Response launch(String app, Map<String, String> inputs) {
        return erin.post("/api/v1/executions", ApiClient.json(Map.of("app", app, "inputs", inputs)));
    }

    /** A value for each input that is neither optional nor defaulted. */
    private static Map<String, String> completeInputs(String app) {
        var inputs = new LinkedHashMap<String, String>();
        for (Input input : descriptor(app).inputs()) {
            if (!input.optional() && input.defaultValue() == null) {
                inputs.put(input.id(), switch (input.type()) {
                    case FILE -> "data/notes.txt";
                    case NUMBER -> "1000";
                    default -> "x";
                });
            }
        }
        return inputs;
    }

    private static String inputName(String app, String id) {
        return descriptor(app).input(id).orElseThrow().name();
    }

    private static Descriptor descriptor(String app) {
        return Descriptor.parse(server.bean(Catalog.class).find(app, null, null).descriptorJson());
    }

    private static Portal signedIn() throws Exception {
        var client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var portal = new Portal(client, null);
        var login = portal.get("/login");
        var token = CSRF_FIELD.matcher(login.body());
        assertThat(token.find()).as(login.body()).isTrue();
        var posted = portal.send(portal.form("/login", "username=erin&password=password-erin&_csrf="
                + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8)));
        assertThat(posted.statusCode()).isEqualTo(302);
        var meta = CSRF_META.matcher(portal.get("/").body());
        assertThat(meta.find()).isTrue();
        return new Portal(client, meta.group(1));
    }

    /** A signed-in browser session over plain HTTP. */
    private record Portal(HttpClient client, String csrf) {
        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html"));
        }

        /** Posts the form's input fields ({@code in.<id>}), with the session's CSRF token. */
        HttpResponse<String> post(String path, Map<String, String> inputs) throws Exception {
            String body = inputs.entrySet().stream()
                    .map(e -> "in." + e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(form(path, (body.isEmpty() ? "" : body + "&") + "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8)));
        }

        HttpRequest.Builder form(String path, String body) {
            return HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
