package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import tools.jackson.databind.JsonNode;

/**
 * A user of a test server as the end-to-end tests of applications see one: uploads files, launches
 * an application, waits for the execution to end, and downloads outputs as bytes (binary outputs
 * such as gzip files do not survive a detour through text).
 */
final class Researcher {
    private final ApiClient api;
    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    private Researcher(ApiClient api, String baseUrl, String apiKey) {
        this.api = api;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** A new user of {@code server}, with an API key of theirs. */
    static Researcher of(TestServer server, String username) {
        var accounts = server.bean(AccountService.class);
        var account = accounts.createUser(username, "password-" + username, Account.Role.USER);
        String key = accounts.newApiKey(account, "test");
        return new Researcher(new ApiClient(server.url(), key), server.url(), key);
    }

    ApiClient api() {
        return api;
    }

    void upload(String path, byte[] content) {
        var stored = api.put("/api/v1/files/" + path, content);
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    }

    /** Launches and returns the new execution's id; the launch must be accepted. */
    String launch(Map<String, Object> request) {
        return api.launch(request);
    }

    /** The execution once it has ended (any terminal status). */
    JsonNode awaitEnd(String executionId, Duration limit) {
        return api.awaitEnd(executionId, limit);
    }

    JsonNode tasks(String executionId) {
        return api.get("/api/v1/executions/" + executionId + "/tasks").json();
    }

    /** A file of the user's space, byte for byte. */
    byte[] download(String path) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/files/" + path.replace(" ", "%20"))).header("apikey", apiKey)
                .GET().build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
