package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The portal's security chain over plain HTTP (no browser needed): pages need a session, changes a CSRF
 * token, fragments and uploads without a session get a 401 rather than the login page; the API keeps
 * answering problem documents; uploads stream with no size limit.
 */
@Tag("e2e")
class PortalSecurityTest {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        server.bean(AccountService.class).createUser("carol", "carol-password", Account.Role.USER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", "text/html");
    }

    private static HttpRequest.Builder form(String path, String body) {
        return request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String signedIn(HttpClient client) throws Exception {
        var login = send(client, request("/login"));
        var token = CSRF_FIELD.matcher(login.body());
        assertThat(token.find()).as(login.body()).isTrue();
        var posted = send(client, form("/login", "username=carol&password=carol-password&_csrf="
                + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8)));
        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location").orElseThrow()).endsWith("/");
        var home = send(client, request("/"));
        var meta = CSRF_META.matcher(home.body());
        assertThat(meta.find()).isTrue();
        return meta.group(1);
    }

    @Test
    void withoutASessionPagesLeadToTheLoginPageAndEverythingElseIsA401() throws Exception {
        var anonymous = client();

        var page = send(anonymous, request("/files"));
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        var fragment = send(anonymous, request("/files/listing").header("HX-Request", "true"));
        assertThat(fragment.statusCode()).isEqualTo(401);
        assertThat(fragment.headers().firstValue("HX-Redirect")).hasValue("/login");

        var upload = send(anonymous, request("/files/upload/a.txt").header("X-Requested-With", "XMLHttpRequest")
                .PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(upload.statusCode()).isEqualTo(401);

        var staleForm = send(anonymous, form("/files/folders", "name=data&_csrf=from-an-old-session"));
        assertThat(staleForm.statusCode()).as("a form sent after the session ended").isEqualTo(302);
        assertThat(staleForm.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void theIconIsServedToAnyoneUnderBothNamesBrowsersAskFor() throws Exception {
        var anonymous = client();

        for (String path : new String[] {"/favicon.svg", "/favicon.ico"}) {
            var icon = send(anonymous, HttpRequest.newBuilder(URI.create(server.url() + path)));
            assertThat(icon.statusCode()).as(path).isEqualTo(200);
            assertThat(icon.headers().firstValue("Content-Type").orElseThrow()).as(path).startsWith("image/svg+xml");
            assertThat(icon.body()).as(path).contains("<svg");
        }
        assertThat(send(anonymous, request("/login")).body()).contains("rel=\"icon\"", "/favicon.svg");
    }

    @Test
    void theApiStillAnswersProblemDocumentsAndIgnoresThePortalSession() throws Exception {
        var client = client();
        signedIn(client);

        var me = send(client, request("/api/v1/me"));

        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(me.body()).contains("apikey");
    }

    @Test
    void aChangeWithoutItsCsrfTokenIsRefusedWithAPageSayingWhy() throws Exception {
        var client = client();
        signedIn(client);

        var refused = send(client, form("/files/folders", "name=data"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(refused.body()).contains("This form has expired");
    }

    @Test
    void aLargeUploadStreamsThroughTheSessionWithItsCsrfHeader() throws Exception {
        var client = client();
        String token = signedIn(client);
        long size = 96L * 1024 * 1024;

        var upload = send(client, request("/files/upload/big/random%20data.bin")
                .setHeader("Accept", "*/*").header("X-CSRF-TOKEN", token).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> zeros(size)), size)));

        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        assertThat(upload.body()).contains("\"size\":" + size, "\"path\":\"big/random data.bin\"");
        var download = client.send(request("/files/download/big/random%20data.bin").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(size);
    }

    @Test
    void textJsonCsvAndImagesOpenInPlaceWithTheirTypeSandboxedAndUnsniffedAndAskedForTheyDownload() throws Exception {
        var client = client();
        String token = signedIn(client);
        var files = java.util.Map.of("notes.txt", "text/plain;charset=UTF-8", "pi.json", "application/json",
                "dose.csv", "text/csv;charset=UTF-8", "plot.png", "image/png", "photo.JPG", "image/jpeg",
                "anim.gif", "image/gif", "drawing.svg", "image/svg+xml");
        for (String name : files.keySet()) {
            send(client, request("/files/upload/shown/" + name).setHeader("Accept", "*/*").header("X-CSRF-TOKEN", token)
                    .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofString("x")));
        }
        send(client, request("/files/upload/shown/page.html").setHeader("Accept", "*/*").header("X-CSRF-TOKEN", token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString("<script>alert(1)</script>")));

        for (var file : files.entrySet()) {
            var opened = send(client, request("/files/download/shown/" + file.getKey()));
            assertThat(opened.statusCode()).isEqualTo(200);
            assertThat(opened.headers().firstValue("Content-Type")).as(file.getKey()).hasValue(file.getValue());
            assertThat(opened.headers().firstValue("Content-Disposition").orElseThrow()).as(file.getKey()).startsWith("inline");
            assertThat(opened.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(opened.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("sandbox");
        }
        var asked = send(client, request("/files/download/shown/drawing.svg?download=1"));
        assertThat(asked.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        assertThat(asked.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        var page = send(client, request("/files/download/shown/page.html"));
        assertThat(page.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        assertThat(page.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void unknownPagesAndOtherPeoplesThingsAreHtmlNotFoundPages() throws Exception {
        var client = client();
        signedIn(client);

        for (String path : new String[] {"/no/such/page", "/executions/nosuchid", "/files/download/nothing.txt", "/files?dir=nowhere"}) {
            var page = send(client, request(path));
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).as(path).startsWith("text/html");
            assertThat(page.body()).as(path).contains("<h1>", "carol");
        }
    }

    private static InputStream zeros(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}
