package org.escadrille.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatalogFilterTest {
    private static Application app(String name, String description, String tags) {
        return new Application("id-" + name, name, "1", "digest", """
                {"name": "%s", "description": "%s", "tags": %s}""".formatted(name, description, tags), 0);
    }

    @Test
    void tagsOfEveryKindBecomeWordsAndAFalseOneNone() {
        var app = app("resize", "Resizes.", """
                {"domain": ["imaging", "neuro"], "gpu": true, "mpi": false, "licence": "MIT"}""");

        assertThat(CatalogFilter.tags(app)).containsExactly("domain:imaging", "domain:neuro", "gpu", "licence:MIT");
    }

    @Test
    void theTextMatchesTheNameOrTheDescriptionIgnoringCaseAndTheTagExactlyIgnoringCase() {
        var app = app("resize", "Shrinks an IMAGE.", """
                {"domain": "imaging"}""");

        assertThat(new CatalogFilter("RESIZ", null).matches(app)).isTrue();
        assertThat(new CatalogFilter("image", null).matches(app)).isTrue();
        assertThat(new CatalogFilter("audio", null).matches(app)).isFalse();
        assertThat(new CatalogFilter(null, "Domain:Imaging").matches(app)).isTrue();
        assertThat(new CatalogFilter(null, "domain:imag").matches(app)).isFalse();
        assertThat(new CatalogFilter("image", "gpu").matches(app)).isFalse();
        assertThat(CatalogFilter.ALL.matches(app("untagged", "No tags.", "{}"))).isTrue();
    }
}
