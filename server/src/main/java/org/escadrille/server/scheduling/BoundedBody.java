package org.escadrille.server.scheduling;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body that may hold at most {@code limit} bytes: reading past them throws, so that a body
 * without a Content-Length (chunked) is held to the same cap as one that declares its size.
 */
final class BoundedBody extends FilterInputStream {
    private final long limit;
    private final Supplier<TooLargeException> refusal;
    private long read;

    BoundedBody(InputStream in, long limit, Supplier<TooLargeException> refusal) {
        super(in);
        this.limit = limit;
        this.refusal = refusal;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a request body is read, not skipped");
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw refusal.get();
        }
    }
}
