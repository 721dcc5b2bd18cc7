package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/apps?q=&tag=} searches the catalogue by text and by the descriptors' Boutiques tags. */
@Tag("e2e")
class CatalogSearchTest {
    private static TestServer server;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        admin = server.admin();
        publish("spectro-fit", "Fits spectra.", """
                {"domain": ["astro", "spectroscopy"], "gpu": true}""");
        publish("spectro-plot", "Plots a SPECTRUM.", """
                {"domain": "astro", "gpu": false}""");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void publish(String name, String description, String tags) {
        var published = admin.post("/api/v1/apps", """
                {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "%s", "tags": %s,
                 "command-line": "true [N]",
                 "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "optional": true}],
                 "output-files": [{"id": "o", "name": "o", "path-template": "o.txt", "optional": true}]}"""
                .formatted(name, description, tags));
        assertThat(published.status()).as(published.body()).isEqualTo(201);
    }

    private static List<String> names(String query) {
        var response = admin.get("/api/v1/apps?" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var names = new ArrayList<String>();
        response.json().forEach(app -> names.add(app.path("name").asString()));
        return names;
    }

    @Test
    void theTextMatchesNamesAndDescriptionsIgnoringCase() {
        assertThat(names("q=SPECTRO")).containsExactlyInAnyOrder("spectro-fit", "spectro-plot");
        assertThat(names("q=spectrum")).containsExactly("spectro-plot");
        assertThat(names("q=nothing-like-it")).isEmpty();
    }

    @Test
    void aTagIsAStringAListValueOrATrueBoolean() {
        assertThat(names("tag=domain:astro")).containsExactlyInAnyOrder("spectro-fit", "spectro-plot");
        assertThat(names("tag=domain:spectroscopy")).containsExactly("spectro-fit");
        assertThat(names("tag=gpu")).containsExactly("spectro-fit");
        assertThat(names("q=plot&tag=gpu")).isEmpty();
    }

    @Test
    void eachApplicationListsItsTags() {
        var fit = admin.get("/api/v1/apps/spectro-fit").json();

        assertThat(fit.path("tags").toString()).isEqualTo("[\"domain:astro\",\"domain:spectroscopy\",\"gpu\"]");
    }
}
