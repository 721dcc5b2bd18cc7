package org.escadrille.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;

/**
 * The people of a test server, each able to send any request the way their own client would: the
 * APIs with their API key, the portal with their signed-in session (and its CSRF token for changes),
 * the pilot protocol with whatever they hold (people their key, pilots their bearer token).
 */
final class Callers {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Map<Role, Account.Role> ACCOUNT_ROLES = Map.of(Role.OWNER, Account.Role.USER,
            Role.OTHER_USER, Account.Role.USER, Role.DEVELOPER, Account.Role.DEVELOPER, Role.ADMIN, Account.Role.ADMIN,
            Role.MEMBER, Account.Role.USER, Role.GROUP_ADMIN, Account.Role.USER, Role.OUTSIDER, Account.Role.USER);

    /** How a request reaches the server: a browser page or form, an htmx fragment, or a script. */
    enum Kind { NAVIGATION, FRAGMENT, SCRIPT }

    /** One request: {@code path} with its query string; a null body sends none; headers beyond the caller's own. */
    record Request(String method, String path, String contentType, byte[] body, Kind kind, Map<String, String> headers) {
        Request {
            headers = Map.copyOf(headers);
        }

        static Request of(String method, String path) {
            return new Request(method, path, null, null, Kind.NAVIGATION, Map.of());
        }

        Request with(String contentType, byte[] body) {
            return new Request(method, path, contentType, body, kind, headers);
        }

        Request header(String name, String value) {
            var more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Request(method, path, contentType, body, kind, more);
        }

        Request json(String json) {
            return with("application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        Request form(String form) {
            return with("application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
        }

        Request as(Kind other) {
            return new Request(method, path, contentType, body, other, headers);
        }
    }

    /** A signed-in person: their account, API key, and portal session with its CSRF token. */
    record Person(Account account, String apiKey, HttpClient portal, String csrfToken) {
    }

    private final TestServer server;
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Role, Person> people = new EnumMap<>(Role.class);

    Callers(TestServer server, String prefix) {
        this.server = server;
        var accounts = server.bean(AccountService.class);
        ACCOUNT_ROLES.forEach((role, accountRole) -> {
            String name = prefix + "-" + role.column;
            var account = accounts.createUser(name, "password-" + name, accountRole);
            var portal = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            people.put(role, new Person(account, accounts.newApiKey(account, "test"), portal,
                    signIn(portal, name, "password-" + name)));
        });
    }

    Person person(Role role) {
        return people.get(role);
    }

    String url() {
        return server.url();
    }

    /** Sends {@code request} as {@code role}; {@code pilotToken} is the pilot's token when the role is a pilot. */
    HttpResponse<String> send(Role role, String pilotToken, Request request) {
        var builder = HttpRequest.newBuilder(URI.create(server.url() + request.path())).timeout(Duration.ofSeconds(30));
        builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        switch (request.kind()) {
            case NAVIGATION -> builder.header("Accept", "text/html,application/xhtml+xml");
            case FRAGMENT -> builder.header("Accept", "text/html").header("HX-Request", "true");
            case SCRIPT -> builder.header("Accept", "*/*").header("X-Requested-With", "XMLHttpRequest");
        }
        request.headers().forEach(builder::setHeader);
        HttpClient client = plain;
        if (role.isPilot()) {
            builder.header("Authorization", "Bearer " + pilotToken);
        } else if (role.isUser()) {
            Person person = people.get(role);
            if (request.path().startsWith("/api/") || request.path().startsWith("/rest/") || request.path().startsWith("/actuator")) {
                builder.header("apikey", person.apiKey());
            } else {
                client = person.portal();
                if (!request.method().equals("GET")) {
                    builder.header("X-CSRF-TOKEN", person.csrfToken());
                }
            }
        }
        return send(client, builder.build());
    }

    /** Sends {@code request} from a new browser session: with the CSRF token of the login page, as a sign-in form is. */
    HttpResponse<String> sendInFreshSession(Request request) {
        var browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var login = send(browser, HttpRequest.newBuilder(URI.create(server.url() + "/login")).header("Accept", "text/html").build());
        var field = CSRF_FIELD.matcher(login.body());
        assertThat(field.find()).as(login.body()).isTrue();
        var builder = HttpRequest.newBuilder(URI.create(server.url() + request.path())).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/html").header("X-CSRF-TOKEN", field.group(1))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        return send(browser, builder.build());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String signIn(HttpClient portal, String username, String password) {
        var login = send(portal, HttpRequest.newBuilder(URI.create(server.url() + "/login")).header("Accept", "text/html").build());
        var field = CSRF_FIELD.matcher(login.body());
        assertThat(field.find()).as(login.body()).isTrue();
        var posted = send(portal, HttpRequest.newBuilder(URI.create(server.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password=" + password + "&_csrf="
                        + URLEncoder.encode(field.group(1), StandardCharsets.UTF_8))).build());
        assertThat(posted.statusCode()).as("signing in as %s", username).isEqualTo(302);
        var home = send(portal, HttpRequest.newBuilder(URI.create(server.url() + "/")).header("Accept", "text/html").build());
        var meta = CSRF_META.matcher(home.body());
        assertThat(meta.find()).as(home.body()).isTrue();
        return meta.group(1);
    }
}
