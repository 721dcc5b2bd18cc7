package org.escadrille.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.escadrille.server.TestServer;
import org.escadrille.server.security.Callers.Kind;
import org.escadrille.server.security.Callers.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Requests the fuzzer found to get a 5xx or a Java class name, each kept here as it was sent. */
@Tag("e2e")
class MalformedRequestsTest {
    private static TestServer server;
    private static Callers callers;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        callers = new Callers(server, "malformed");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(Role role, Request request) {
        return callers.send(role, null, request);
    }

    private static void assertNoClassName(HttpResponse<String> response) {
        assertThat(response.body()).doesNotContain("java.", "org.", "tools.", "Exception");
    }

    @Test
    void aLogChunkPastTheEndOfTheLogIsABadRequest() {
        var attempt = new OwnedObjects(server, callers).freshAttempt();
        String log = "/api/pilot/v1/attempts/" + attempt.id() + "/log?stream=stdout&offset=";
        var chunk = Request.of("POST", log + "0").as(Kind.SCRIPT).with("application/octet-stream", new byte[] {'a', 'b'});

        var first = callers.send(Role.ITS_PILOT, attempt.holder().token(), chunk);
        var again = callers.send(Role.ITS_PILOT, attempt.holder().token(), chunk);
        var next = callers.send(Role.ITS_PILOT, attempt.holder().token(), Request.of("POST", log + "2").as(Kind.SCRIPT)
                .with("application/octet-stream", new byte[] {'c'}));
        var far = callers.send(Role.ITS_PILOT, attempt.holder().token(), Request.of("POST", log + 1000)
                .as(Kind.SCRIPT).with("application/octet-stream", new byte[] {'d'}));
        var huge = callers.send(Role.ITS_PILOT, attempt.holder().token(), Request.of("POST", log + Long.MAX_VALUE)
                .as(Kind.SCRIPT).with("application/octet-stream", new byte[] {'d'}));

        assertThat(List.of(first.statusCode(), again.statusCode(), next.statusCode())).containsOnly(204);
        assertThat(far.statusCode()).as(far.body()).isEqualTo(400);
        assertThat(far.body()).contains("past the end of the log (3 bytes)");
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);
        assertThat(huge.body()).contains("escadrille.pilots.max-log-bytes");
    }

    @Test
    void anUploadSentAsAFormIsStoredByteForByte() {
        byte[] body = "a=%zz&b=%".getBytes(StandardCharsets.US_ASCII);

        var stored = send(Role.OWNER, Request.of("PUT", "/api/v1/files/form.txt").as(Kind.SCRIPT)
                .with("application/x-www-form-urlencoded", body));

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(stored.body()).contains("\"size\":" + body.length);
    }

    @Test
    void aFormWhoseBytesAreNotUtf8IsABadRequest() {
        byte[] body = {'l', 'a', 'b', 'e', 'l', '=', (byte) 0xc3, (byte) 0x28, '%', 'z', 'z'};

        var page = send(Role.OWNER, Request.of("POST", "/account/keys").with("application/x-www-form-urlencoded", body));
        var api = send(Role.OWNER, Request.of("POST", "/api/v1/executions/none/kill").as(Kind.SCRIPT)
                .with("application/x-www-form-urlencoded", body));

        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(api.statusCode()).as(api.body()).isBetween(400, 404);
    }

    @Test
    void aParameterNameTheFirewallRefusesIsABadRequest() {
        // handlers that read every parameter: the launch form's preview, and Actuator
        var page = send(Role.OWNER, Request.of("POST", "/apps/" + OwnedObjects.APP + "/preview?k%F0%90%94%BC%10%06=%25zz")
                .as(Kind.FRAGMENT).form("name=x"));
        var health = send(Role.OWNER, Request.of("GET", "/actuator/health/liveness?k%F0%90%94%BC%10%06=%25zz").as(Kind.SCRIPT));

        assertThat(page.statusCode()).as(page.body()).isEqualTo(400);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(400);
    }

    @Test
    void anOpenApiDocumentGroupThatDoesNotExistIsNotFound() {
        var unknown = send(Role.OWNER, Request.of("GET", "/v3/api-docs/%27USER2147483648").as(Kind.SCRIPT));

        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("/rest/openapi.json");
    }

    @Test
    void aWildcardContentTypeIsUnsupported() {
        var launch = send(Role.OWNER, Request.of("POST", "/api/v1/executions").as(Kind.SCRIPT).with("*/*", "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(launch.statusCode()).as(launch.body()).isEqualTo(415);
        assertThat(launch.body()).contains("names no type");
    }

    @Test
    void aBodyOfTheWrongShapeIsNamedWithoutJavaTypes() {
        var list = send(Role.OWNER, Request.of("POST", "/api/v1/executions").as(Kind.SCRIPT)
                .json("{\"app\": \"pi\", \"inputs\": false}"));
        var missing = send(Role.OWNER, Request.of("POST", "/api/v1/executions").as(Kind.SCRIPT).json(""));

        assertThat(list.statusCode()).isEqualTo(400);
        assertNoClassName(list);
        assertThat(list.body()).contains("an object");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertNoClassName(missing);
        assertThat(missing.body()).contains("no body");
    }

    @Test
    void aDescriptorFollowedByMoreJsonIsRefusedWithoutJavaTypes() {
        var published = send(Role.DEVELOPER, Request.of("POST", "/api/v1/apps").as(Kind.SCRIPT)
                .json(OwnedObjects.DESCRIPTOR.formatted("twice") + " {}"));

        assertThat(published.statusCode()).isEqualTo(400);
        assertNoClassName(published);
        assertThat(published.body()).contains("after the end");
    }
}
