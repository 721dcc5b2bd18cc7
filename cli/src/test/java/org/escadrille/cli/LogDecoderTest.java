package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogDecoderTest {
    @Test
    void aCharacterSplitBetweenTwoPiecesIsPrintedWhole() {
        byte[] bytes = "π=3".getBytes(StandardCharsets.UTF_8);
        LogDecoder decoder = new LogDecoder();

        String first = decoder.decode(Arrays.copyOfRange(bytes, 0, 1));
        String second = decoder.decode(Arrays.copyOfRange(bytes, 1, bytes.length));

        assertThat(first).isEmpty();
        assertThat(second).isEqualTo("π=3");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void aTruncatedCharacterAtTheEndBecomesAReplacement() {
        LogDecoder decoder = new LogDecoder();

        decoder.decode(new byte[] {(byte) 0xCF});

        assertThat(decoder.finish()).isEqualTo("\uFFFD");
    }
}
