package org.escadrille.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferencesTest {
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void ociReferencesAsDockerAndPodmanParseThemAreAccepted() {
        assertThat(ImageReferences.isOci("alpine")).isTrue();
        assertThat(ImageReferences.isOci("debian:12")).isTrue();
        assertThat(ImageReferences.isOci("boutiques/example1:test")).isTrue();
        assertThat(ImageReferences.isOci("ghcr.io/team/tool_x:1.2.3-rc1")).isTrue();
        assertThat(ImageReferences.isOci("localhost:5000/a/b")).isTrue();
        assertThat(ImageReferences.isOci("registry.example.org/tool@" + DIGEST)).isTrue();
        assertThat(ImageReferences.isOci("tool:1@" + DIGEST)).isTrue();
        assertThat(ImageReferences.isOci("[::1]:5000/tool")).isTrue();
    }

    @Test
    void optionsAndWhatIsNotAReferenceAreRefused() {
        assertThat(ImageReferences.isOci("--privileged -v /:/host alpine")).isFalse();
        assertThat(ImageReferences.isOci("-it")).isFalse();
        assertThat(ImageReferences.isOci("alpine --privileged")).isFalse();
        assertThat(ImageReferences.isOci("Alpine")).as("repository names are lowercase").isFalse();
        assertThat(ImageReferences.isOci("alpine:")).isFalse();
        assertThat(ImageReferences.isOci("alpine:-1")).isFalse();
        assertThat(ImageReferences.isOci("alpine@sha256:short")).isFalse();
        assertThat(ImageReferences.isOci("a//b")).isFalse();
        assertThat(ImageReferences.isOci("")).isFalse();
        assertThat(ImageReferences.isOci(null)).isFalse();
        assertThat(ImageReferences.isOci("docker://alpine")).as("a scheme is Apptainer's").isFalse();
    }

    @Test
    void apptainerAlsoTakesItsSchemesAndSifFiles() {
        assertThat(ImageReferences.isApptainer("alpine:3")).isTrue();
        assertThat(ImageReferences.isApptainer("docker://boutiques/example1:test")).isTrue();
        assertThat(ImageReferences.isApptainer("library://user/collection/tool:1.0")).isTrue();
        assertThat(ImageReferences.isApptainer("tool.sif")).isTrue();
        assertThat(ImageReferences.isApptainer("/opt/images/tool_1.2.sif")).isTrue();
        assertThat(ImageReferences.isApptainer("-tool.sif")).isFalse();
        assertThat(ImageReferences.isApptainer("--bind /:/host docker://alpine")).isFalse();
        assertThat(ImageReferences.isApptainer("docker://--privileged")).isFalse();
        assertThat(ImageReferences.isApptainer("file:///etc/passwd")).isFalse();
    }

    @Test
    void theExplanationShowsWhatWasGivenAndAnExample() {
        assertThat(ImageReferences.explain("--privileged alpine")).contains("debian:12").endsWith("got \"--privileged alpine\"");
    }
}
