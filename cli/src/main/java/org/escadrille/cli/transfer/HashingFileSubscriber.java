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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.escadrille.protocol.Sha256;

/**
 * A response body written to a file as the HTTP client receives it, and hashed (SHA-256) on a thread of
 * its own, so that the network, the disk and the hash work at once instead of in turn: hashing alone
 * takes about as long as receiving on a 2-core machine. The client's buffers go to the file as they
 * are (no copy into a {@code byte[]}) and then, still unchanged, to the hash; at most {@link #IN_FLIGHT}
 * of them wait for it, and the client is asked for more only as the hash frees room. The body ends
 * when both the file is closed and the hash is done; a failure of the disk or of the hash cancels the
 * response and fails the body with a {@link LocalFileException} (the caller deletes the file).
 */
final class HashingFileSubscriber implements HttpResponse.BodySubscriber<HashingFileSubscriber.Received> {
    /** How many of the client's buffer lists may wait for the hash: with 256 KiB buffers, a few MiB. */
    static final int IN_FLIGHT = 32;
    /** Demand goes back to the client in batches: each request wakes its selector thread. */
    private static final int REQUEST_BATCH = IN_FLIGHT / 4;
    private static final List<ByteBuffer> END = List.of();

    /** What was written: the byte count and the SHA-256 of those bytes. */
    record Received(long size, String sha256) {
    }

    private final Path file;
    private final LongConsumer written;
    private final MessageDigest digest;
    private final BlockingQueue<List<ByteBuffer>> toHash = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
    private final CompletableFuture<Received> body = new CompletableFuture<>();
    private FileChannel channel;
    private Flow.Subscription subscription;
    private long size;

    /** Writes to {@code file} (created or truncated), reporting the bytes written to {@code written}. */
    HashingFileSubscriber(Path file, LongConsumer written) {
        this(file, written, Sha256.digest());
    }

    /** With the digest to feed: a test gives one that fails, as a hash thread's failure would. */
    HashingFileSubscriber(Path file, LongConsumer written, MessageDigest digest) {
        this.file = file;
        this.written = written;
        this.digest = digest;
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
        Thread.ofPlatform().daemon().name("sha256-" + file.getFileName()).start(this::hashUntilTheEnd);
        subscription.request(IN_FLIGHT);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        // The hash reads the same bytes from positions of its own once the file has them.
        List<ByteBuffer> forHash = buffers.stream().map(ByteBuffer::duplicate).toList();
        long count = 0;
        try {
            for (ByteBuffer buffer : buffers) {
                count += buffer.remaining();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            fail(new LocalFileException("cannot write " + file + ": " + e, e));
            return;
        }
        size += count;
        written.accept(count);
        toHash.add(forHash);
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
            int hashed = 0;
            while (true) {
                List<ByteBuffer> buffers = toHash.take();
                if (buffers == END) {
                    break;
                }
                buffers.forEach(digest::update);
                if (++hashed == REQUEST_BATCH) {
                    subscription.request(hashed);
                    hashed = 0;
                }
            }
            if (!body.isDone()) {
                body.complete(new Received(size, Sha256.hex(digest)));
            }
        } catch (InterruptedException e) {
            fail(new LocalFileException("the checksum of " + file + " was interrupted", e));
        } catch (RuntimeException | Error e) {
            fail(new LocalFileException("cannot compute the SHA-256 of " + file + ": " + e, e));
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
