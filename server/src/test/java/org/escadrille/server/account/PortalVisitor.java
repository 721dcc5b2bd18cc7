package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A browser's requests to the portal over plain HTTP, with its own cookies and, through a trusted
 * proxy's {@code X-Forwarded-For}, its own address (so that one address's failures do not spill
 * into another test's).
 */
public final class PortalVisitor {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final String baseUrl;
    private final String address;

    public PortalVisitor(String baseUrl, String address) {
        this.baseUrl = baseUrl;
        this.address = address;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/html")
                .header("X-Forwarded-For", address);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(request(path));
    }

    /** Posts a form of the page at {@code formPage}, with that page's CSRF token. */
    public HttpResponse<String> post(String formPage, String action, String... fields) {
        var page = get(formPage);
        var token = CSRF_FIELD.matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        var body = new StringBuilder("_csrf=" + encode(token.group(1)));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.append('&').append(fields[i]).append('=').append(encode(fields[i + 1]));
        }
        return send(request(action).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public HttpResponse<String> signIn(String username, String password) {
        return post("/login", "/login", "username", username, "password", password);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
