package org.escadrille.server.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/**
 * Counts the bytes of files that stream through the server's own endpoints (users' uploads and
 * downloads, pilots' inputs, outputs and checkpoints): {@code escadrille_storage_server_bytes_total{direction}}.
 * With direct transfers (S3's presigned URLs) pilots' bytes bypass the server, and this shows it.
 */
@Component
public class TransferMeter {
    private final Counter in;
    private final Counter out;

    TransferMeter(MeterRegistry registry) {
        this.in = Counter.builder("escadrille.storage.server").baseUnit("bytes")
                .description("bytes of files received by the server's endpoints").tag("direction", "in").register(registry);
        this.out = Counter.builder("escadrille.storage.server").baseUnit("bytes")
                .description("bytes of files sent by the server's endpoints").tag("direction", "out").register(registry);
    }

    /** The stream of a file the server receives, counted as it is read. */
    public InputStream receiving(InputStream body) {
        return new Counting(body, in);
    }

    /** The stream of a file the server sends, counted as it is read. */
    public InputStream sending(InputStream content) {
        return new Counting(content, out);
    }

    /**
     * Bytes of a file handed whole to the connector to send (sendfile), counted when handed over: the
     * connector says nothing of how much of it the client took, so a download cut short counts whole.
     */
    public void sent(long bytes) {
        out.increment(bytes);
    }

    public double received() {
        return in.count();
    }

    public double sent() {
        return out.count();
    }

    private static final class Counting extends FilterInputStream {
        private final Counter counter;

        Counting(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.increment(n);
            }
            return n;
        }
    }
}
