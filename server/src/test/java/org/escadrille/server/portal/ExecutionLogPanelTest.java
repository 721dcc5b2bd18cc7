package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.LaunchRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What the log panel says while a log is empty: why, rather than an empty box. Without pilots, tasks wait. */
@Tag("e2e")
class ExecutionLogPanelTest {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static TestServer server;
    private static Account dave;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        dave = server.bean(AccountService.class).createUser("dave", "dave-password", Account.Role.USER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTaskWaitingForASlotSaysSoAndOneKilledBeforeItRanSaysItDidNotRun() throws Exception {
        var request = server.bean(JsonMapper.class).readValue(
                "{\"app\":\"pi\",\"split\":\"none\",\"inputs\":{\"events\":\"1000\"}}", LaunchRequest.class);
        var executions = server.bean(ExecutionService.class);
        String id = executions.launch(dave, request).id();
        var client = signedIn();

        assertThat(get(client, "/executions/" + id + "/log?stream=stdout&offset=0")).contains("waiting for a pilot slot");

        executions.kill(dave, id);

        String ended = get(client, "/executions/" + id + "/log?stream=stdout&offset=0");
        assertThat(ended).contains("This task did not run.").doesNotContain("wrote nothing");
    }

    private static String get(HttpClient client, String path) throws Exception {
        var response = client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("HX-Request", "true").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static HttpClient signedIn() throws Exception {
        var client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        var login = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        var token = CSRF_FIELD.matcher(login.body());
        assertThat(token.find()).as(login.body()).isTrue();
        var posted = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=dave&password=dave-password&_csrf="
                        + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(302);
        return client;
    }
}
