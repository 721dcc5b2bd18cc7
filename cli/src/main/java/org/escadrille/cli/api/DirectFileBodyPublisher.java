package org.escadrille.cli.api;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * A file's bytes as a request body of known length (so the server gets a Content-Length, not a chunked
 * stream), read into a few direct buffers that the HTTP client writes to its socket as they are, reporting
 * each buffer as the client takes it (what an upload bar needs). {@code BodyPublishers.ofFile} reads the
 * file into heap buffers (through a native buffer of its own), which the socket then copies into a temporary
 * direct buffer: two copies of every byte in the JVM beside the kernel's two, both gone here.
 *
 * <p>A buffer is read into again only once the client has sent all of it (its position reached its limit:
 * the socket advanced it, so the kernel holds the bytes), which the JDK's client does before it asks for the
 * buffer after next: a handful of buffers serve a file of any size. Should a client hold on to them, a new
 * buffer is taken instead of waiting, never one still unsent. (Mapping the file instead, which saves the read's
 * copy too, leaves every page sent mapped until the collector unmaps its window: the resident size of a
 * 1 GiB upload grew by 1 GiB.) As with {@code ofFile}, a file that changes size while it is sent fails the
 * request: one that shrank when a read finds its end early, one that grew after its announced length.
 *
 * <p>A {@linkplain #region region} of a file is sent the same way, from a channel the caller opened and shares
 * (each part of a multipart upload reads its own region of it), with the CRC32C of the bytes it read: the
 * uploader compares it with the CRC32C of the same region as its SHA-256 reader saw it, so that the SHA-256 it
 * reports is that of the bytes sent.
 */
final class DirectFileBodyPublisher implements HttpRequest.BodyPublisher {
    /** What the client gets per {@code onNext}: a read and a socket write of this size cost little per byte. */
    static final int BUFFER_BYTES = 1024 * 1024;
    /** How many buffers are kept to be read into again; the JDK's client holds at most two at a time. */
    static final int KEPT_BUFFERS = 4;

    private final Path file;
    /** A region's channel, shared and left open; null: {@link #file} is opened by each sending. */
    private final FileChannel shared;
    private final long offset;
    private final long length;
    private final LongConsumer sent;
    private final int bufferBytes;
    /** The CRC32C of the bytes the last sending read to its end; -1 before one did. */
    private final AtomicLong crc32c = new AtomicLong(-1);

    DirectFileBodyPublisher(Path file, LongConsumer sent) throws FileNotFoundException {
        this(file, sent, BUFFER_BYTES);
    }

    /** With buffers of another size: a test sends a small file in many. */
    DirectFileBodyPublisher(Path file, LongConsumer sent, int bufferBytes) throws FileNotFoundException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileNotFoundException(file + " not found or not readable");
        }
        try {
            this.length = Files.size(file);
        } catch (IOException e) {
            throw (FileNotFoundException) new FileNotFoundException(file + ": " + e.getMessage()).initCause(e);
        }
        this.file = file;
        this.shared = null;
        this.offset = 0;
        this.sent = sent;
        this.bufferBytes = bufferBytes;
    }

    private DirectFileBodyPublisher(FileChannel shared, long offset, long length, int bufferBytes) {
        this.file = null;
        this.shared = shared;
        this.offset = offset;
        this.length = length;
        this.sent = count -> { };
        this.bufferBytes = bufferBytes;
    }

    /** The {@code length} bytes of {@code channel} from {@code offset}; the channel stays open. */
    static DirectFileBodyPublisher region(FileChannel channel, long offset, long length) {
        return region(channel, offset, length, BUFFER_BYTES);
    }

    /** With buffers of another size: a test sends a region in many. */
    static DirectFileBodyPublisher region(FileChannel channel, long offset, long length, int bufferBytes) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("a region of " + length + " bytes at " + offset);
        }
        return new DirectFileBodyPublisher(channel, offset, length, bufferBytes);
    }

    /** The CRC32C of the bytes the last sending read, all {@link #contentLength()} of them; -1 if none ended yet. */
    long crc32c() {
        return crc32c.get();
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Sending(subscriber));
    }

    /**
     * One sending of the file (the client subscribes again for a retry). Buffers go out only on demand, from
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
        private final List<ByteBuffer> kept = new ArrayList<>(KEPT_BUFFERS);
        private final CRC32C read = new CRC32C();
        private FileChannel channel;
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
                        ByteBuffer next = next();
                        if (next == null) {
                            end();
                            subscriber.onComplete();
                            break;
                        }
                        demand.decrementAndGet();
                        sent.accept(next.remaining());
                        subscriber.onNext(next);
                    } catch (IOException e) {
                        fail(e);
                    }
                }
            } while (turns.decrementAndGet() != 0);
        }

        /** The next bytes of the file, or null after the last (when the file is still its announced length). */
        private ByteBuffer next() throws IOException {
            if (channel == null) {
                channel = shared != null ? shared : FileChannel.open(file, StandardOpenOption.READ);
            }
            if (position == length) {
                // A region's file may go on past it: whether the file grew is its uploader's to check.
                long now = channel.size();
                if (shared == null && now != length) {
                    throw changed(now);
                }
                crc32c.set(read.getValue());
                return null;
            }
            ByteBuffer buffer = sentBuffer();
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + position + buffer.position()) < 0) {
                    throw changed(channel.size());
                }
            }
            position += buffer.flip().remaining();
            read.update(buffer.duplicate());
            return buffer;
        }

        /** A kept buffer the client has sent all of, else a new one (kept while fewer than {@link #KEPT_BUFFERS}). */
        private ByteBuffer sentBuffer() {
            for (ByteBuffer buffer : kept) {
                if (!buffer.hasRemaining()) {
                    return buffer;
                }
            }
            ByteBuffer fresh = ByteBuffer.allocateDirect((int) Math.min(bufferBytes, Math.max(1, length)));
            if (kept.size() < KEPT_BUFFERS) {
                kept.add(fresh);
            }
            return fresh;
        }

        private IOException changed(long now) {
            if (shared != null) {
                return new IOException("the file changed while it was sent: it has " + now + " bytes, a part of "
                        + length + " from byte " + offset + " was announced; send it again once it is written");
            }
            return new IOException(file + " changed while it was sent: it has " + now + " bytes, "
                    + length + " were announced; send it again once it is written");
        }

        private void fail(Throwable failure) {
            end();
            subscriber.onError(failure);
        }

        private void end() {
            ended = true;
            try {
                if (channel != null && shared == null) {
                    channel.close();
                }
            } catch (IOException e) {
                // Read-only: nothing of the transfer depends on the close.
            }
        }
    }
}
