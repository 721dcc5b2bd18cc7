package org.escadrille.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The body of a download as the HTTP client drives it: buffers in, the file and its SHA-256 out, with
 * the hash on its own thread never further behind than the demand allows, and any failure (the
 * network's, the disk's, the hash's) ending the body with the file closed.
 */
class HashingFileSubscriberTest {
    @TempDir
    Path dir;

    /** A subscription that counts demand and records a cancel, as the HTTP client's does. */
    private static final class Demand implements Flow.Subscription {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }

    @Test
    void writesEveryBufferToTheFileAndHashesTheSameBytes() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("out.part");
        var written = new AtomicLong();
        var body = new HashingFileSubscriber(file, written::addAndGet);
        var demand = new Demand();

        body.onSubscribe(demand);
        int delivered = 0;
        for (int offset = 0; offset < content.length; offset += 100_000) {
            // Deliver only what was asked for, as the client does, waiting for the hash to ask for more.
            int next = delivered + 1;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> demand.requested.get() >= next);
            int end = Math.min(content.length, offset + 100_000);
            body.onNext(List.of(ByteBuffer.wrap(content, offset, end - offset).asReadOnlyBuffer()));
            delivered++;
        }
        body.onComplete();
        HashingFileSubscriber.Received received = body.getBody().toCompletableFuture().join();

        assertThat(received.size()).isEqualTo(content.length);
        assertThat(received.checksum()).isEqualTo(Sha256.of(content));
        assertThat(file).hasBinaryContent(content);
        assertThat(written.get()).isEqualTo(content.length);
        assertThat(demand.cancelled).isFalse();
    }

    @Test
    void givenTheCrc32cItChecksumsTheBytesWrittenWithItInsteadOfTheSha256() {
        byte[] content = new byte[700_001];
        new Random(8).nextBytes(content);
        Path file = dir.resolve("out.part");
        var body = new HashingFileSubscriber(file, n -> { }, TransferChecksum.crc32c());

        body.onSubscribe(new Demand());
        body.onNext(List.of(ByteBuffer.wrap(content, 0, 300_000), ByteBuffer.wrap(content, 300_000, 400_001)));
        body.onComplete();

        var crc32c = new CRC32C();
        crc32c.update(content);
        assertThat(body.getBody().toCompletableFuture().join())
                .isEqualTo(new HashingFileSubscriber.Received(content.length, HexFormat.of().toHexDigits((int) crc32c.getValue())));
        assertThat(file).hasBinaryContent(content);
    }

    @Test
    void anEmptyBodyIsAnEmptyFileWithTheChecksumOfNothing() {
        Path file = dir.resolve("empty.part");
        var body = new HashingFileSubscriber(file, n -> { });

        body.onSubscribe(new Demand());
        body.onComplete();

        assertThat(body.getBody().toCompletableFuture().join())
                .isEqualTo(new HashingFileSubscriber.Received(0, Sha256.of(new byte[0])));
        assertThat(file).isEmptyFile();
    }

    @Test
    void theNetworkRunsAheadOfAStalledHashByAtMostTheWindow() {
        var body = new HashingFileSubscriber(dir.resolve("out.part"), n -> { }, stalledDigest());
        var demand = new Demand();
        int bufferBytes = 256 * 1024;

        body.onSubscribe(demand);
        long delivered = deliverWhatIsAsked(body, demand, bufferBytes);

        assertThat(delivered * bufferBytes)
                .isGreaterThanOrEqualTo(HashingFileSubscriber.WINDOW_BYTES)
                .isLessThan(HashingFileSubscriber.WINDOW_BYTES + bufferBytes);
        assertThat(demand.requested.get()).isEqualTo(delivered);
    }

    @Test
    void aHashThatCatchesUpWithAFullWindowLetsTheNetworkGoOn() throws Exception {
        var release = new CountDownLatch(1);
        var body = new HashingFileSubscriber(dir.resolve("out.part"), n -> { }, digestWaitingFor(release));
        var demand = new Demand();
        int bufferBytes = 256 * 1024;
        body.onSubscribe(demand);
        long delivered = deliverWhatIsAsked(body, demand, bufferBytes);
        long atTheFullWindow = demand.requested.get();

        release.countDown();

        await().until(() -> demand.requested.get() > atTheFullWindow);
        body.onNext(List.of(ByteBuffer.wrap(new byte[bufferBytes])));
        body.onComplete();
        assertThat(body.getBody().toCompletableFuture().join().size()).isEqualTo((delivered + 1) * bufferBytes);
    }

    @Test
    void aFailureOfTheHashCancelsTheResponseAndSaysTheChecksumFailed() {
        Path file = dir.resolve("out.part");
        var body = new HashingFileSubscriber(file, n -> { }, failingDigest());
        var demand = new Demand();

        body.onSubscribe(demand);
        body.onNext(List.of(ByteBuffer.wrap(new byte[1024])));

        assertThatThrownBy(() -> body.getBody().toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(LocalFileException.class).hasMessageContaining("SHA-256 of " + file);
        // The hash thread fails the body before it cancels: the body's failure must be the local one.
        await().untilTrue(demand.cancelled);
        assertThat(body.localFailure()).isPresent();
    }

    @Test
    void aFailureOfTheNetworkEndsTheBodyWithItAndIsNotTakenForALocalOne() {
        var body = new HashingFileSubscriber(dir.resolve("out.part"), n -> { });
        body.onSubscribe(new Demand());
        body.onNext(List.of(ByteBuffer.wrap(new byte[1024])));

        body.onError(new IOException("connection reset"));

        assertThatThrownBy(() -> body.getBody().toCompletableFuture().join())
                .cause().isInstanceOf(IOException.class).hasMessage("connection reset");
        assertThat(body.localFailure()).isEmpty();
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheBodyAtOnce() {
        Path file = dir.resolve("missing-dir").resolve("out.part");
        var body = new HashingFileSubscriber(file, n -> { });
        var demand = new Demand();

        body.onSubscribe(demand);

        assertThat(demand.cancelled).isTrue();
        assertThat(body.localFailure()).get().extracting(Throwable::getMessage).asString()
                .startsWith("cannot write " + file);
    }

    /** A digest whose update waits forever: the hash thread takes one list and stops there. */
    private static MessageDigest stalledDigest() {
        return new TestDigest() {
            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** A digest whose first update waits for {@code release}, as a hash starved of CPU would. */
    private static MessageDigest digestWaitingFor(CountDownLatch release) {
        return new TestDigest() {
            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static MessageDigest failingDigest() {
        return new TestDigest() {
            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {
                throw new IllegalStateException("the hash broke");
            }
        };
    }

    private abstract static class TestDigest extends MessageDigest {
        TestDigest() {
            super("test");
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1);
        }

        @Override
        protected byte[] engineDigest() {
            return new byte[32];
        }

        @Override
        protected void engineReset() {
        }
    }

    /** Delivers whatever is asked for, in buffers of the client's size, as a network faster than the hash would. */
    private static long deliverWhatIsAsked(HashingFileSubscriber body, Demand demand, int bufferBytes) {
        long delivered = 0;
        while (delivered < demand.requested.get()) {
            body.onNext(List.of(ByteBuffer.wrap(new byte[bufferBytes])));
            delivered++;
        }
        return delivered;
    }
}
