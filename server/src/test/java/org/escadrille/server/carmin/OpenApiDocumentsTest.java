package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.TreeSet;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The OpenAPI documents the server gives of its two APIs, and the page that browses them. */
@Tag("e2e")
class OpenApiDocumentsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theCarminDocumentHasEveryOperationOfCarminYamlAsItWritesThem() throws Exception {
        var spec = CarminSpec.load();
        assumeTrue(spec.isPresent(), SharedSpecs.MISSING);

        var document = get("/rest/openapi.json");

        assertThat(document.statusCode()).isEqualTo(200);
        var parsed = new OpenAPIV3Parser().readContents(document.body());
        assertThat(parsed.getMessages()).as("a valid OpenAPI document").isEmpty();
        var served = new TreeSet<CarminSpec.Operation>();
        parsed.getOpenAPI().getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> served.add(new CarminSpec.Operation(method.name(), path))));
        assertThat(served).containsAll(spec.get().operations());
        assertThat(parsed.getOpenAPI().getServers().getFirst().getUrl()).isEqualTo("/rest");
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes().get("ApiKey").getName()).isEqualTo("apikey");
    }

    @Test
    void theNativeDocumentDescribesApiV1WithoutAKey() throws Exception {
        var document = get("/api/v1/openapi.json");

        assertThat(document.statusCode()).isEqualTo(200);
        var parsed = new OpenAPIV3Parser().readContents(document.body());
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/api/v1/executions", "/api/v1/apps", "/api/v1/files");
        assertThat(parsed.getOpenAPI().getPaths().keySet()).noneMatch(path -> path.startsWith("/rest"));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
