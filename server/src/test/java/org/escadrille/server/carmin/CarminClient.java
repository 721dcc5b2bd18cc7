package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A CARMIN client for the tests: real HTTP to {@code /rest}, and every request and answer checked against
 * {@code carmin.yaml} (a mismatch fails the test). The operations it called are recorded, so that
 * {@link ExercisedOperations} can tell whether a test class called every operation it claims to.
 */
final class CarminClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * A pipeline identifier is {@code name/version}, its slash written as it is in the path (as VIP's client
     * does); a complete path "can contain non-encoded slashes" (carmin.yaml).
     */
    private static final Pattern PIPELINE = Pattern.compile("/pipelines/([^/]+)/([^/?]+)(/boutiquesdescriptor)?");
    static final Set<CarminSpec.Operation> EXERCISED = ConcurrentHashMap.newKeySet();

    private final HttpClient http = HttpClient.newHttpClient();
    private final CarminSpec spec;
    private final String baseUrl;
    private final String apiKey;
    private final boolean requestsValid;

    CarminClient(CarminSpec spec, String serverUrl, String apiKey) {
        this(spec, serverUrl + "/rest", apiKey, true);
    }

    private CarminClient(CarminSpec spec, String baseUrl, String apiKey, boolean requestsValid) {
        this.spec = spec;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.requestsValid = requestsValid;
    }

    CarminClient as(String otherKey) {
        return new CarminClient(spec, baseUrl, otherKey, requestsValid);
    }

    /** A client that sends what the specification does not allow (to test the refusals): only answers are checked. */
    CarminClient sendingInvalidRequests() {
        return new CarminClient(spec, baseUrl, apiKey, false);
    }

    record Response(int status, String body, byte[] bytes, String contentType) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        /** CARMIN's error body: exactly its two keys, the code as given. */
        Response isError(int status, long code) {
            assertThat(this.status).as(body).isEqualTo(status);
            assertThat(json().propertyNames()).as(body).containsExactly("errorCode", "errorMessage");
            assertThat(json().path("errorCode").asLong()).as(body).isEqualTo(code);
            assertThat(json().path("errorMessage").asString()).isNotBlank();
            return this;
        }
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response putJson(String path, Object body) {
        return send("PUT", path, "application/json", JSON.writeValueAsBytes(body));
    }

    Response postJson(String path, Object body) {
        return send("POST", path, "application/json", JSON.writeValueAsBytes(body));
    }

    Response put(String path, String contentType, byte[] body) {
        return send("PUT", path, contentType, body);
    }

    /** Any request to {@code /rest} + path; the request and the answer must agree with the specification. */
    Response send(String method, String path, String contentType, byte[] body) {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path.replace(" ", "%20")))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        if (apiKey != null) {
            builder.header("apikey", apiKey);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        String responseType = response.headers().firstValue("Content-Type").orElse(null);
        check(method, path, contentType, body, response.statusCode(), responseType, text);
        return new Response(response.statusCode(), text, response.body(), responseType);
    }

    private void check(String method, String path, String contentType, byte[] body, int status, String responseType, String text) {
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        var pipeline = PIPELINE.matcher(withoutQuery);
        // OpenAPI's path parameters hold no slash: the validator is given them encoded
        String specPath = pipeline.matches()
                ? "/pipelines/" + pipeline.group(1) + "%2F" + pipeline.group(2) + (pipeline.group(3) == null ? "" : pipeline.group(3))
                : withoutQuery.startsWith("/path/") ? "/path/" + withoutQuery.substring("/path/".length()).replace("/", "%2F")
                : withoutQuery;
        var operation = spec.operation(method, specPath);
        assertThat(operation).as("%s %s is an operation of carmin.yaml", method, path).isPresent();

        var request = new SimpleRequest.Builder(method, specPath);
        if (apiKey != null) {
            request.withHeader("apikey", apiKey);
        }
        if (contentType != null) {
            request.withContentType(contentType);
        }
        if (body != null && body.length > 0) {
            request.withBody(body);
        }
        if (path.contains("?")) {
            for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                request.withQueryParam(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        Request built = request.build();
        var response = SimpleResponse.Builder.status(status);
        if (responseType != null) {
            response.withContentType(responseType);
        }
        if (!text.isEmpty()) {
            response.withBody(text);
        }
        var report = requestsValid ? spec.validator().validate(built, response.build())
                : spec.validator().validateResponse(specPath, Request.Method.valueOf(method), response.build());
        assertThat(report.getMessages()).as("%s %s (%d %s) against carmin.yaml", method, path, status, text).isEmpty();
        EXERCISED.add(operation.get());
    }
}
