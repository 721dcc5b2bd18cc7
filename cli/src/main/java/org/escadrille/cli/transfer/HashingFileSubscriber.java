package org.escadrille.cli.transfer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A response body written to a file as the HTTP client receives it, and checksummed (SHA-256, or the
 * CRC32C the server recorded: {@link TransferChecksum}) on a thread of its own, so that the network, the
 * disk and the hash work at once instead of in turn: a SHA-256 alone takes about as long as receiving on
 * a 2-core machine. The client's buffers go to the file as they
 * are (no copy into a {@code byte[]}) and then, still unchanged, to the hash. The network may run ahead
 * of the hash by at most {@link #WINDOW_BYTES} plus one of the client's buffer lists (a few of its
 * {@code jdk.httpclient.bufsize} buffers): that is the memory this body holds. The body ends
 * when both the file is closed and the hash is done; a failure of the disk or of the hash cancels the
 * response and fails the body with a {@link LocalFileException} (the caller deletes the file).
 */
final class HashingFileSubscriber implements HttpResponse.BodySubscriber<HashingFileSubscriber.Received> {
    /**
     * How many bytes, written but not yet hashed, may wait for the hash before the client is asked for no
     * more. The JDK's HTTP/1.1 client reads the socket only while its subscriber has demand, so this is
     * the slack that lets the network go on while the hash, sharing a small machine's cores with it,
     * falls behind for a moment; 32 MiB is nothing to a laptop's heap.
     */
    static final long WINDOW_BYTES = 32L * 1024 * 1024;
    private static final List<ByteBuffer> END = List.of();

    /** What was written: the byte count and the checksum of those bytes (hexadecimal, of the kind given). */
    record Received(long size, String checksum) {
    }

    private final Path file;
    private final LongConsumer written;
    private final TransferChecksum checksum;
    // Unbounded as a queue, bounded in bytes by the demand: WINDOW_BYTES plus one list, and the END.
    private final BlockingQueue<List<ByteBuffer>> toHash = new LinkedBlockingQueue<>();
    /** Bytes written and not yet hashed. */
    private final AtomicLong unhashed = new AtomicLong();
    /** Set when demand stopped at a full window: whoever clears it asks the client for the next list. */
    private final AtomicBoolean waitingForRoom = new AtomicBoolean();
    private final CompletableFuture<Received> body = new CompletableFuture<>();
    private FileChannel channel;
    private Flow.Subscription subscription;
    private long size;

    /** Writes to {@code file} (created or truncated), reporting the bytes written to {@code written}; SHA-256. */
    HashingFileSubscriber(Path file, LongConsumer written) {
        this(file, written, TransferChecksum.sha256());
    }

    /** With the SHA-256 digest to feed: a test gives one that fails, as a hash thread's failure would. */
    HashingFileSubscriber(Path file, LongConsumer written, MessageDigest digest) {
        this(file, written, TransferChecksum.sha256(digest));
    }

    HashingFileSubscriber(Path file, LongConsumer written, TransferChecksum checksum) {
        this.file = file;
        this.written = written;
        this.checksum = checksum;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            subscription.cancel();
            body.completeExceptionally(new LocalFileException("cannot write " + file + ": " + e, e));
            return;
        }
        Thread.ofPlatform().daemon().name("checksum-" + file.getFileName()).start(this::hashUntilTheEnd);
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        // The hash reads the same bytes from positions of its own once the file has them.
        List<ByteBuffer> forHash = buffers.stream().map(ByteBuffer::duplicate).toList();
        long count = remaining(buffers);
        try {
            writeFully(channel, buffers);
        } catch (IOException e) {
            fail(new LocalFileException("cannot write " + file + ": " + e, e));
            return;
        }
        size += count;
        written.accept(count);
        toHash.add(forHash);
        // Demand is renewed here, on the client's thread, while the window has room: a request from the
        // hash thread would run the client's delivery (the disk write included) on the hash's thread.
        if (unhashed.addAndGet(count) < WINDOW_BYTES) {
            subscription.request(1);
        } else {
            waitingForRoom.set(true);
            // The hash may have freed room between the add and the flag, and seen no flag: look again.
            askIfRoom();
        }
    }

    @Override
    public void onError(Throwable throwable) {
        // The body fails before the hash thread is told the end: told first, it could complete the body with
        // the checksum of the bytes that came, and the caller would report a mismatch, not the network.
        body.completeExceptionally(throwable);
        closeChannel();
        toHash.clear();
        toHash.offer(END);
    }

    @Override
    public void onComplete() {
        if (body.isDone()) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            fail(new LocalFileException("cannot write " + file + ": " + e, e));
            return;
        }
        toHash.add(END);
    }

    @Override
    public CompletionStage<Received> getBody() {
        return body;
    }

    /** The disk's or the hash's failure that ended this body, if one did (the network's are not). */
    Optional<LocalFileException> localFailure() {
        return body.state() == Future.State.FAILED && body.exceptionNow() instanceof LocalFileException local
                ? Optional.of(local) : Optional.empty();
    }

    private void hashUntilTheEnd() {
        try {
            while (true) {
                List<ByteBuffer> buffers = toHash.take();
                if (buffers == END) {
                    break;
                }
                long count = remaining(buffers);
                buffers.forEach(checksum::update);
                unhashed.addAndGet(-count);
                askIfRoom();
            }
            if (!body.isDone()) {
                body.complete(new Received(size, checksum.hex()));
            }
        } catch (InterruptedException e) {
            fail(new LocalFileException("the checksum of " + file + " was interrupted", e));
        } catch (RuntimeException | Error e) {
            fail(new LocalFileException("cannot compute the " + checksum.name() + " of " + file + ": " + e, e));
        }
    }

    /** Asks for the next list if demand stopped at a full window that has room again; only one caller wins. */
    private void askIfRoom() {
        if (unhashed.get() < WINDOW_BYTES && waitingForRoom.compareAndSet(true, false)) {
            subscription.request(1);
        }
    }

    private void fail(LocalFileException failure) {
        if (body.completeExceptionally(failure)) {
            subscription.cancel();
            closeChannel();
            toHash.clear();
            toHash.offer(END);
        }
    }

    private static long remaining(List<ByteBuffer> buffers) {
        long count = 0;
        for (ByteBuffer buffer : buffers) {
            count += buffer.remaining();
        }
        return count;
    }

    /** A gathering write, repeated until every buffer is empty: one system call per list, not per buffer. */
    private static void writeFully(FileChannel channel, List<ByteBuffer> buffers) throws IOException {
        ByteBuffer[] all = buffers.toArray(ByteBuffer[]::new);
        for (long left = remaining(buffers); left > 0; ) {
            left -= channel.write(all);
        }
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // Already failing: the caller deletes the file.
        }
    }
}
