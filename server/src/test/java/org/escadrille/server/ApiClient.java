package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A test's view of the REST API: real HTTP against the server under test, as any client sees it. */
public final class ApiClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> TERMINAL = Set.of("Finished", "InitializationFailed", "ExecutionFailed", "Killed");
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String apiKey;

    public ApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** The key this client sends (for a request made by hand). */
    public String apiKey() {
        return apiKey;
    }

    public ApiClient as(String otherKey) {
        return new ApiClient(baseUrl, otherKey);
    }

    /** A response: status, raw body, and the body as JSON when it is JSON. */
    public record Response(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    /** Any request, with the body and content type given (null: none). */
    public Response send(String method, String path, String contentType, byte[] body) {
        var builder = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    /** Launches an execution and returns its id; the launch must be accepted. */
    public String launch(Map<String, ?> request) {
        var launched = post("/api/v1/executions", json(request));
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        return launched.json().path("id").asString();
    }

    /** The execution once it has ended (any terminal status), polled every 200 ms. */
    public JsonNode awaitEnd(String executionId, Duration limit) {
        return await().atMost(limit).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/v1/executions/" + executionId).json(),
                        execution -> TERMINAL.contains(execution.path("status").asString()));
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path.replace(" ", "%20")));
        if (apiKey != null) {
            builder.header("apikey", apiKey);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            var response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
