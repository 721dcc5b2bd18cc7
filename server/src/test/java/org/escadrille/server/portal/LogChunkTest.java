package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogChunkTest {

    @Test
    void aChunkEndingInsideACharacterStopsBeforeIt() {
        byte[] text = "dose ≈ 1.5 µGy".getBytes(StandardCharsets.UTF_8);
        int cut = "dose ".length() + 1; // inside the three bytes of ≈

        assertThat(ExecutionPage.wholeCharacters(Arrays.copyOf(text, cut))).isEqualTo("dose ".length());
        assertThat(ExecutionPage.wholeCharacters(text)).isEqualTo(text.length);
        assertThat(ExecutionPage.wholeCharacters(new byte[0])).isZero();
        assertThat(ExecutionPage.wholeCharacters("plain".getBytes(StandardCharsets.US_ASCII))).isEqualTo(5);
    }
}
