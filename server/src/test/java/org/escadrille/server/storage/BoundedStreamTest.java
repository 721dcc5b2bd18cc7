package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BoundedStreamTest {

    private static BoundedStream over(int size, long limit) {
        return new BoundedStream(new ByteArrayInputStream(new byte[size]), limit,
                () -> new IllegalStateException("past the limit"));
    }

    @Test
    void aStreamOfExactlyTheLimitIsReadWhole() throws IOException {
        try (var stream = over(100, 100)) {
            assertThat(stream.readAllBytes()).hasSize(100);
        }
    }

    @Test
    void readingPastTheLimitThrowsTheRefusal() {
        assertThatThrownBy(() -> over(101, 100).readAllBytes()).isInstanceOf(IllegalStateException.class)
                .hasMessage("past the limit");
    }

    @Test
    void readingByteByBytePastTheLimitThrowsToo() throws IOException {
        try (var stream = over(3, 2)) {
            stream.read();
            stream.read();
            assertThatThrownBy(stream::read).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void skippedBytesCountAgainstTheLimit() throws IOException {
        try (var stream = over(200, 100)) {
            assertThat(stream.skip(90)).isEqualTo(90);
            assertThatThrownBy(() -> stream.readNBytes(20)).isInstanceOf(IllegalStateException.class);
        }
    }
}
