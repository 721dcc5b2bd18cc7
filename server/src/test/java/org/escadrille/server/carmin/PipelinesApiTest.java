package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.escadrille.server.TestServer;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The catalogue as CARMIN's pipelines, identified as VIP does by name/version. */
@Tag("e2e")
@Exercises({"GET /pipelines", "GET /pipelines/{pipelineIdentifier}", "GET /pipelines/{pipelineIdentifier}/boutiquesdescriptor"})
class PipelinesApiTest {
    private static final String TAGGED = """
            {"name": "tagged-tool", "tool-version": "2.0", "schema-version": "0.5", "description": "Echoes a word.",
             "command-line": "echo [WORD] > out.txt", "tags": {"domain": ["neuro", "imaging"], "gpu": true},
             "inputs": [{"id": "word", "name": "Word", "type": "String", "value-key": "[WORD]", "default-value": "hi"}],
             "output-files": [{"id": "out", "name": "Out", "path-template": "out.txt"}]}
            """;
    private static TestServer server;
    private static CarminClient alice;

    @BeforeAll
    static void start() {
        var spec = CarminSpec.load();
        assumeTrue(spec.isPresent(), SharedSpecs.MISSING);
        server = TestServer.builder().pilots(false).start();
        var admin = server.bean(AccountService.class).findByUsername("admin").orElseThrow();
        server.bean(Catalog.class).publish(TAGGED, admin);
        alice = new CarminClient(spec.get(), server.url(), server.newUser("carmin-pipelines").apiKey());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pipelinesAreTheCataloguesApplicationsAsNameSlashVersion() {
        var pipelines = alice.get("/pipelines");

        assertThat(pipelines.status()).isEqualTo(200);
        assertThat(pipelines.json().valueStream().map(p -> p.path("identifier").asString()))
                .contains("sha256sum/9.1", "pi/1.3.0", "tagged-tool/2.0");
        assertThat(pipelines.json().valueStream().allMatch(p -> p.path("canExecute").asBoolean())).isTrue();
    }

    @Test
    void aPipelineListsItsInputsByIdAndItsOutputsAsReturnedValues() {
        var pipeline = alice.get("/pipelines/sha256sum/9.1");

        assertThat(pipeline.status()).as(pipeline.body()).isEqualTo(200);
        assertThat(pipeline.json().path("name").asString()).isEqualTo("sha256sum");
        JsonNode input = parameter(pipeline.json(), "input");
        assertThat(input.path("type").asString()).isEqualTo("File");
        assertThat(input.path("isOptional").asBoolean()).isFalse();
        assertThat(input.has("defaultValue")).as("VIP's client reads defaultValue of every required parameter").isTrue();
        assertThat(parameter(pipeline.json(), "tag").path("type").asString()).isEqualTo("Boolean");
        assertThat(parameter(pipeline.json(), "checksum").path("isReturnedValue").asBoolean()).isTrue();
    }

    @Test
    void theBoutiquesDescriptorIsTheOnePublished() {
        var descriptor = alice.get("/pipelines/tagged-tool/2.0/boutiquesdescriptor");

        assertThat(descriptor.status()).isEqualTo(200);
        assertThat(descriptor.json().path("command-line").asString()).isEqualTo("echo [WORD] > out.txt");
    }

    @Test
    void pipelinesFilterByTheirPropertiesWhichAreTheDescriptorsTags() {
        var neuro = alice.get("/pipelines?property=domain&propertyValue=neuro");
        var gpu = alice.get("/pipelines?property=gpu");
        var none = alice.get("/pipelines?property=domain&propertyValue=astronomy");

        assertThat(neuro.json().valueStream().map(p -> p.path("identifier").asString())).containsExactly("tagged-tool/2.0");
        assertThat(neuro.json().get(0).path("properties").path("domain").asString()).isEqualTo("neuro,imaging");
        assertThat(gpu.json().valueStream().map(p -> p.path("identifier").asString())).containsExactly("tagged-tool/2.0");
        assertThat(none.json().size()).isZero();
        assertThat(alice.get("/platform").json().path("supportedPipelineProperties").valueStream().map(JsonNode::asString))
                .contains("domain", "gpu");
    }

    @Test
    void anUnknownPipelineIsNotFound() {
        alice.get("/pipelines/no-such-tool/1.0").isError(404, 40400);
        alice.get("/pipelines/no-such-tool/1.0/boutiquesdescriptor").isError(404, 40400);
    }

    private static JsonNode parameter(JsonNode pipeline, String name) {
        return pipeline.path("parameters").valueStream().filter(p -> p.path("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " in " + pipeline));
    }
}
