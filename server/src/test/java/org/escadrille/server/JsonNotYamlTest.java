package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The APIs read and write JSON only, although a YAML parser is on the classpath (for the Kubernetes client). */
@Tag("e2e")
class JsonNotYamlTest {
    private static TestServer server;
    private static ApiClient alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        alice = server.newUser("alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aYamlBodyIsAnUnsupportedMediaType() {
        var response = alice.send("POST", "/api/v1/executions", "application/yaml",
                "app: pi\ninputs: {events: 10}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.body()).isEqualTo(415);
    }

    @Test
    void askingForYamlGetsNoYaml() throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/apps"))
                .header("apikey", alice.apiKey()).header("Accept", "application/yaml").GET().build();
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(406);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).doesNotContain("yaml");
        }
    }
}
