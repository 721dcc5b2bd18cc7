package org.escadrille.cli.transfer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.escadrille.cli.api.GatewayClient;

/**
 * Downloads a large file in ranges over several connections at once, each range written where it belongs in the
 * file and its CRC32C computed as it arrives (about 60 GB/s: nothing beside the network). The ranges' CRC32Cs
 * combine into the file's ({@link Crc32cCombine}), which is checked as a download in one piece is: no second read
 * of the file. One connection is bounded by what one core copies, on each side: the store or the server sends a
 * range per thread, and the receiving side writes a range per thread (bench/README.md, "Transfers").
 *
 * <p>Used only where the check is a CRC32C recorded with the very SHA-256 expected (a SHA-256 cannot be
 * combined): the first range's answer says so, and the others are asked for only then. Where it is not, or the
 * store ignores ranges, {@link #fetch} answers empty and the caller downloads the file in one piece.
 */
final class RangedDownload {
    private final GatewayClient client;
    private final long rangeBytes;
    private final int streams;
    private final boolean bypassCache;

    /** Ranges of {@code rangeBytes}, {@code streams} of them at once, written past the page cache where it pays ({@link RangeFile}). */
    RangedDownload(GatewayClient client, long rangeBytes, int streams) {
        this(client, rangeBytes, streams, true);
    }

    /** With {@code bypassCache} false, every write goes through the page cache. */
    RangedDownload(GatewayClient client, long rangeBytes, int streams, boolean bypassCache) {
        if (rangeBytes < 1 || streams < 1) {
            throw new IllegalArgumentException("ranges of " + rangeBytes + " bytes, " + streams + " at once");
        }
        this.client = client;
        this.rangeBytes = rangeBytes;
        this.streams = streams;
        this.bypassCache = bypassCache;
    }

    /** Whether a file of {@code size} bytes is downloaded in ranges: two or more of them, and two connections or more. */
    boolean worthIt(long size) {
        return streams > 1 && size > rangeBytes;
    }

    /**
     * Downloads {@code remote} ({@code size} bytes) into {@code part}, created or truncated. Empty when the file
     * is to be downloaded in one piece instead (then {@code part} may hold some of its bytes: the caller truncates
     * it). A failure of the disk is a {@link LocalFileException}; of the network, as a download's.
     */
    Optional<OutputDownloader.Arrived> fetch(String remote, long size, String expectedSha256, String listedCrc32c,
                                             Path part, LongConsumer transferred) {
        int ranges = Math.toIntExact((size + rangeBytes - 1) / rangeBytes);
        var job = new Job(client.downloadSource(remote), size, new int[ranges], expectedSha256, listedCrc32c, transferred);
        try (RangeFile file = RangeFile.open(part, rangeBytes, bypassCache);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Each worker takes the next range until none is left; all but the first wait for the first answer's check.
            var workers = new ArrayList<Future<Boolean>>();
            workers.add(pool.submit(() -> job.first(file)));
            for (int worker = 1; worker < Math.min(streams, ranges); worker++) {
                workers.add(pool.submit(() -> job.decided() && job.rest(file)));
            }
            boolean whole = true;
            for (Future<Boolean> worker : workers) {
                whole &= joined(worker, workers);
            }
            if (!whole) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new LocalFileException("cannot write " + part + ": " + e, e);
        }
        int crc = job.crcs[0];
        for (int range = 1; range < ranges; range++) {
            crc = Crc32cCombine.combine(crc, job.crcs[range], length(range, size));
        }
        var received = new HashingFileSubscriber.Received(size, HexFormat.of().toHexDigits(crc));
        return Optional.of(new OutputDownloader.Arrived(received, job.check.join()));
    }

    /** One download's ranges: what its workers share. */
    private final class Job {
        private final GatewayClient.DownloadSource source;
        private final long size;
        private final int[] crcs;
        private final String expectedSha256;
        private final String listedCrc32c;
        private final LongConsumer transferred;
        private final AtomicInteger next = new AtomicInteger(1);
        /** The first answer's check: a CRC32C; null if the file goes in one piece; failed with the first range. */
        private final CompletableFuture<OutputDownloader.Check> check = new CompletableFuture<>();

        Job(GatewayClient.DownloadSource source, long size, int[] crcs, String expectedSha256, String listedCrc32c,
            LongConsumer transferred) {
            this.source = source;
            this.size = size;
            this.crcs = crcs;
            this.expectedSha256 = expectedSha256;
            this.listedCrc32c = listedCrc32c;
            this.transferred = transferred;
        }

        /** The first range, which decides the check, then ranges until none is left. */
        boolean first(RangeFile file) {
            try {
                if (!range(file, 0)) {
                    check.complete(null);
                    return false;
                }
            } catch (RuntimeException e) {
                check.completeExceptionally(e);
                throw e;
            }
            return rest(file);
        }

        /** Whether the first answer was one to download in ranges; false if it failed (its worker says why). */
        boolean decided() throws InterruptedException {
            try {
                return check.get() != null;
            } catch (ExecutionException failedFirst) {
                return false;
            }
        }

        /**
         * Ranges from {@link #next} until none is left; false if one came back not as asked, which leaves the
         * other workers none to take: the file goes in one piece.
         */
        boolean rest(RangeFile file) {
            for (int range = next.getAndIncrement(); range < crcs.length; range = next.getAndIncrement()) {
                if (!range(file, range)) {
                    next.set(crcs.length);
                    return false;
                }
            }
            return true;
        }

        /**
         * Fetches one range into its place in the file and its CRC32C into {@link #crcs}. The first range's
         * answer decides the check; every later one must name the same CRC32C, or the file changed meanwhile.
         */
        private boolean range(RangeFile file, int range) {
            long start = range * rangeBytes;
            long length = length(range, size);
            return client.downloadRange(source, start, start + length - 1, answer -> {
                OutputDownloader.Check named = OutputDownloader.Check.of(answer.headers(), expectedSha256, listedCrc32c);
                boolean usable = named.crc32c() && (range == 0 || named.expected().equalsIgnoreCase(check.join().expected()));
                if (range == 0) {
                    check.complete(usable ? named : null);
                }
                return usable ? new Written(file.range(start), length, crcs, range, transferred) : null;
            }).isPresent();
        }
    }

    private long length(int range, long size) {
        return Math.min(rangeBytes, size - range * rangeBytes);
    }

    /** A worker's answer; its failure cancels the others and is thrown, a disk's as the {@link LocalFileException}. */
    private static boolean joined(Future<Boolean> worker, List<Future<Boolean>> all) {
        try {
            return worker.get();
        } catch (InterruptedException e) {
            all.forEach(other -> other.cancel(true));
            Thread.currentThread().interrupt();
            throw new LocalFileException("the download was interrupted", e);
        } catch (ExecutionException e) {
            all.forEach(other -> other.cancel(true));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof LocalFileException local) {
                    throw local;
                }
            }
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    /**
     * One range's body, written at its place as it arrives (the ranges share one {@link RangeFile}) and
     * checksummed; its value is the bytes written. The client's thread writes: it reads the socket again only once
     * the write is done.
     */
    private static final class Written implements HttpResponse.BodySubscriber<Long> {
        private final RangeFile.Range file;
        private final long length;
        private final int[] crcs;
        private final int range;
        private final LongConsumer transferred;
        private final CRC32C crc = new CRC32C();
        private final CompletableFuture<Long> body = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long written;

        Written(RangeFile.Range file, long length, int[] crcs, int range, LongConsumer transferred) {
            this.file = file;
            this.length = length;
            this.crcs = crcs;
            this.range = range;
            this.transferred = transferred;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            long count = 0;
            for (ByteBuffer buffer : buffers) {
                count += buffer.remaining();
            }
            if (written + count > length) {
                subscription.cancel();
                body.completeExceptionally(new IOException("range " + range + " sent more than its " + length + " bytes"));
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    crc.update(buffer.duplicate());
                    file.write(buffer);
                }
            } catch (IOException e) {
                subscription.cancel();
                body.completeExceptionally(new LocalFileException("cannot write the download: " + e, e));
                return;
            }
            written += count;
            transferred.accept(count);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (body.isDone()) {
                return;
            }
            if (written != length) {
                body.completeExceptionally(new IOException("range " + range + " ended after " + written + " of its "
                        + length + " bytes"));
                return;
            }
            try {
                file.finish();
            } catch (IOException e) {
                body.completeExceptionally(new LocalFileException("cannot write the download: " + e, e));
                return;
            }
            crcs[range] = (int) crc.getValue();
            body.complete(written);
        }

        @Override
        public CompletionStage<Long> getBody() {
            return body;
        }
    }
}
