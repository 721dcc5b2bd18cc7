package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the server tells those who should not know: metrics (which name users) only to admins and the
 * scrape token; no path of the data directory to anonymous visitors; no secret in the log; the session
 * cookie kept to the site (SameSite, Secure behind TLS); no referrer to other sites.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("e2e")
class SecurityLeaksTest {
    private static final String SCRAPE_TOKEN = "scrape-token-for-tests-0123456789";
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                .property("server.forward-headers-strategy", "native")
                .property("escadrille.metrics.scrape-token", SCRAPE_TOKEN)
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheusMetricsAreForAdminsAndTheScrapeTokenOnly() throws Exception {
        String userKey = server.newUser("rita").apiKey();

        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "Authorization", "Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "apikey", userKey).statusCode()).isEqualTo(403);
        assertThat(get("/actuator/metrics", "apikey", userKey).statusCode()).isEqualTo(403);
        var scraped = get("/actuator/prometheus", "Authorization", "Bearer " + SCRAPE_TOKEN);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("escadrille_");
        assertThat(get("/actuator/prometheus", "apikey", server.adminKey()).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void theLoginPageNamesTheAdminPasswordFileButNotWhereItIs() throws Exception {
        var page = get("/login", "Accept", "text/html");

        assertThat(page.body()).contains("admin password file", "admin.password")
                .doesNotContain(server.dataDir().toString(), "/tmp/", "~/");
    }

    @Test
    void theFirstAdminsSecretsAreReadableByTheOwnerOnlyAndWhole() throws IOException {
        for (String name : List.of("admin.key", "admin.password")) {
            Path file = server.dataDir().resolve(name);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name).isEqualTo("rw-------");
            assertThat(Files.readString(file)).as(name).isNotBlank();
            assertThat(file.resolveSibling(name + ".new")).as("moved into place, nothing left beside").doesNotExist();
        }
    }

    @Test
    void theLogSaysWhereTheFirstAdminsSecretsAreButNotWhatTheyAre(CapturedOutput output) throws IOException {
        String password = Files.readString(server.dataDir().resolve("admin.password")).strip();

        assertThat(output.getAll()).contains("created the first admin", server.dataDir().resolve("admin.password").toString())
                .doesNotContain(password, server.adminKey());
    }

    @Test
    void theSessionCookieIsSameSiteAndSecureBehindTls() throws Exception {
        var plain = get("/login", "Accept", "text/html");
        var behindTls = get("/login", "Accept", "text/html", "X-Forwarded-Proto", "https");

        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).contains("SameSite=Lax", "HttpOnly")
                .doesNotContain("Secure");
        assertThat(behindTls.headers().firstValue("Set-Cookie").orElseThrow()).contains("SameSite=Lax", "Secure");
    }

    @Test
    void everyAnswerKeepsItsAddressFromOtherSites() throws Exception {
        for (String path : new String[] {"/login", "/api/v1/health", "/api/v1/me", "/actuator/health", "/no/such/page",
                "/api/pilot/v1/lease"}) {
            assertThat(get(path, "Accept", "text/html").headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
        }
    }
}
