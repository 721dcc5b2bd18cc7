package org.escadrille.cli.api;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A file's bytes as a request body of known length (so the server gets a Content-Length, not a chunked
 * stream), handed to the HTTP client as slices of the file mapped into memory, reporting each slice as
 * the client takes it (what an upload bar needs). {@code BodyPublishers.ofFile} reads the file into heap
 * buffers, which the socket then copies into a temporary direct buffer of its own: two copies of every
 * byte in the JVM. A mapped slice is a direct buffer whose pages are the page cache's, so the kernel sends
 * them from there. The file is mapped {@value #WINDOW_BYTES} bytes at a time: the address space a
 * transfer takes stays bounded, and a window is unmapped when the collector finds its slices gone.
 * As with {@code ofFile}, a file that changes size while it is sent fails the request: one that shrank
 * cannot be mapped past its end (and the kernel refuses to send pages past it), one that grew is caught
 * after its announced length was sent.
 */
final class MappedFileBodyPublisher implements HttpRequest.BodyPublisher {
    static final long WINDOW_BYTES = 64L * 1024 * 1024;
    /** What the client gets per {@code onNext}: large enough that a slice costs nothing, small for the bar. */
    static final int SLICE_BYTES = 1024 * 1024;

    private final Path file;
    private final long length;
    private final LongConsumer sent;
    private final long windowBytes;
    private final int sliceBytes;

    MappedFileBodyPublisher(Path file, LongConsumer sent) throws FileNotFoundException {
        this(file, sent, WINDOW_BYTES, SLICE_BYTES);
    }

    /** With windows and slices of other sizes: a test crosses windows with a small file. */
    MappedFileBodyPublisher(Path file, LongConsumer sent, long windowBytes, int sliceBytes)
            throws FileNotFoundException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileNotFoundException(file + " not found or not readable");
        }
        try {
            this.length = Files.size(file);
        } catch (IOException e) {
            throw (FileNotFoundException) new FileNotFoundException(file + ": " + e.getMessage()).initCause(e);
        }
        this.file = file;
        this.sent = sent;
        this.windowBytes = windowBytes;
        this.sliceBytes = sliceBytes;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        var sending = new Sending(subscriber);
        subscriber.onSubscribe(sending);
    }

    /**
     * One sending of the file (the client subscribes again for a retry). Slices go out only on demand, from
     * whichever thread asks; one thread at a time runs the loop ({@link #turns}), so a request made from
     * {@code onNext} adds to the demand instead of recursing.
     */
    private final class Sending implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger turns = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile IllegalArgumentException badRequest;
        // Owned by the thread that runs the loop.
        private FileChannel channel;
        private MappedByteBuffer window;
        private long windowStart;
        private long position;
        private boolean ended;

        Sending(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("non-positive request: " + n);
            } else {
                demand.getAndAccumulate(n, (had, more) -> had + more < 0 ? Long.MAX_VALUE : had + more);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (turns.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!ended) {
                    if (cancelled) {
                        end();
                        break;
                    }
                    if (badRequest != null) {
                        fail(badRequest);
                        break;
                    }
                    if (demand.get() == 0) {
                        break;
                    }
                    try {
                        ByteBuffer slice = next();
                        if (slice == null) {
                            end();
                            subscriber.onComplete();
                            break;
                        }
                        demand.decrementAndGet();
                        sent.accept(slice.remaining());
                        subscriber.onNext(slice);
                    } catch (IOException e) {
                        fail(e);
                    }
                }
            } while (turns.decrementAndGet() != 0);
        }

        /** The next slice of the file, or null after the last (when the file is still its announced length). */
        private ByteBuffer next() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            if (position == length) {
                long now = channel.size();
                if (now != length) {
                    throw changed(now);
                }
                return null;
            }
            if (window == null || position == windowStart + window.capacity()) {
                long size = Math.min(windowBytes, length - position);
                long now = channel.size();
                if (now < position + size) {
                    throw changed(now);
                }
                window = channel.map(FileChannel.MapMode.READ_ONLY, position, size);
                windowStart = position;
            }
            int offset = (int) (position - windowStart);
            int count = (int) Math.min(sliceBytes, window.capacity() - offset);
            position += count;
            return window.slice(offset, count);
        }

        private IOException changed(long now) {
            return new IOException(file + " changed while it was sent: it has " + now + " bytes, "
                    + length + " were announced; send it again once it is written");
        }

        private void fail(Throwable failure) {
            end();
            subscriber.onError(failure);
        }

        private void end() {
            ended = true;
            window = null;
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // Read-only: nothing of the transfer depends on the close.
            }
        }
    }
}
