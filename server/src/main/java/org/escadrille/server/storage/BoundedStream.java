package org.escadrille.server.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A stream that may give at most {@code limit} bytes: reading (or skipping) past them throws the
 * refusal, in the middle of the stream, so that a body of unknown length (chunked, or an upload whose
 * size is only known at its end) is held to the same cap as one that declares its size. A storage's put
 * that meets the exception keeps nothing of the stream.
 */
public final class BoundedStream extends FilterInputStream {
    private final long limit;
    private final Supplier<? extends RuntimeException> refusal;
    private long read;

    public BoundedStream(InputStream in, long limit, Supplier<? extends RuntimeException> refusal) {
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
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) {
        read += n;
        if (read > limit) {
            throw refusal.get();
        }
    }
}
