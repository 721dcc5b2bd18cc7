package org.escadrille.server.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * An upload of unknown length, cut when it passes the room its owner's quota leaves: the exception
 * reaches the storage's put in the middle of the stream, which then keeps nothing of it.
 */
final class QuotaBoundedStream extends FilterInputStream {
    private final long room;
    private final Supplier<? extends RuntimeException> exceeded;
    private long read;

    QuotaBoundedStream(InputStream in, long room, Supplier<? extends RuntimeException> exceeded) {
        super(in);
        this.room = room;
        this.exceeded = exceeded;
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
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(long n) {
        read += n;
        if (read > room) {
            throw exceeded.get();
        }
    }
}
