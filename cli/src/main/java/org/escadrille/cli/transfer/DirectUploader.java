package org.escadrille.cli.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.PartUrl;
import org.escadrille.cli.api.StoredFile;
import org.escadrille.cli.api.UploadTicket;

/**
 * Uploads a file straight to the server's storage (S3) with the URLs the server signs, several parts at
 * once (as S3's own transfer managers do: one connection rarely fills what a store takes), each part
 * streamed from its region of the file so that no part is ever whole in memory. A second thread reads
 * the file in order for its SHA-256, which the server records once told. Run again after an
 * interruption, it resumes: the server names the parts it already holds, which are read again only to
 * be hashed, and only the others are sent. Empty when the server takes uploads only through itself
 * (local storage); it then remembers that for the files that follow.
 */
public final class DirectUploader {
    /** Parts sent at once unless told otherwise: what fills a fast link to a real S3, and costs nothing against a local one. */
    public static final int DEFAULT_PARTS_IN_FLIGHT = 4;

    private final GatewayClient client;
    private final int partsInFlight;
    private boolean throughServer;
    private int partsSent;

    public DirectUploader(GatewayClient client, int partsInFlight) {
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("at least one part in flight, not " + partsInFlight);
        }
        this.client = client;
        this.partsInFlight = partsInFlight;
    }

    /** The part sent, with the CRC32C of the bytes its body read. */
    private record SentPart(int number, long length, long crc32c) {
    }

    /**
     * Uploads {@code local} to {@code remote}, reporting the bytes done (those of parts already held
     * too) to {@code done} after each part, on the calling thread; empty when the server wants it through itself.
     */
    public Optional<StoredFile> upload(Path local, String remote, LongConsumer done) {
        if (throughServer) {
            return Optional.empty();
        }
        long size = sizeOf(local);
        UploadTicket ticket = client.beginUpload(remote, size);
        if (!ticket.direct()) {
            throughServer = true;
            return Optional.empty();
        }
        Set<Integer> held = new HashSet<>(ticket.uploadedParts());
        ExecutorService hasher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
        ExecutorService senders = Executors.newFixedThreadPool(partsInFlight, Thread.ofPlatform().daemon().factory());
        try (FileChannel channel = FileChannel.open(local, StandardOpenOption.READ)) {
            Future<PartDigests> hashing = hasher.submit(
                    () -> PartDigests.read(channel, local, size, ticket.partSize(), ticket.partCount()));
            CompletionService<SentPart> sending = new ExecutorCompletionService<>(senders);
            // Once a part has failed, the parts still queued are not begun: a run again sends them.
            AtomicBoolean failed = new AtomicBoolean();
            int submitted = 0;
            for (int number = 1; number <= ticket.partCount(); number++) {
                long length = lengthOf(ticket, number, size);
                if (held.contains(number)) {
                    done.accept(length);
                } else if (ticket.partCount() == 1) {
                    // The single PUT is bound to the file's SHA-256 (the store verifies the body against
                    // it), so its hash comes first.
                    String sha256 = await(hashing, local).sha256();
                    PartUrl url = client.partUrl(ticket.id(), number, sha256);
                    int only = number;
                    sending.submit(() -> send(failed, () -> url, channel, only, 0, length));
                    submitted++;
                } else {
                    int part = number;
                    long offset = (number - 1L) * ticket.partSize();
                    Supplier<PartUrl> url = () -> client.partUrl(ticket.id(), part, null);
                    sending.submit(() -> send(failed, url, channel, part, offset, length));
                    submitted++;
                }
            }
            List<SentPart> sent = new ArrayList<>(submitted);
            for (int i = 0; i < submitted; i++) {
                SentPart part = await(sending.take(), local);
                if (part == null) {
                    continue; // not begun after a failure, whose exception is still to be taken
                }
                sent.add(part);
                partsSent++;
                done.accept(part.length());
            }
            PartDigests digests = await(hashing, local);
            for (SentPart part : sent) {
                if (digests.crc32c()[part.number() - 1] != part.crc32c()) {
                    throw new LocalFileException(local + " changed during the upload (part " + part.number()
                            + " read differently twice); send it again once it stays as it is", null);
                }
            }
            return Optional.of(client.completeUpload(ticket.id(), digests.sha256(), digests.wholeCrc32c()));
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + local + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalFileException("the upload was interrupted", e);
        } finally {
            // On a failure the parts still in flight are cancelled (an interrupted send aborts its request).
            senders.shutdownNow();
            hasher.shutdownNow();
        }
    }

    /** How many parts this uploader sent (those the server already held not counted). */
    public int partsSent() {
        return partsSent;
    }

    /**
     * Sends one part; null when another part has already failed, so that nothing more goes out. The flag is
     * raised before this part's own failure is seen, so no part queued behind it begins.
     */
    private SentPart send(AtomicBoolean failed, Supplier<PartUrl> url, FileChannel channel, int number, long offset, long length) {
        if (failed.get()) {
            return null;
        }
        try {
            // The client reads the region again if it has to send it again: the CRC32C is of the last reading.
            return new SentPart(number, length, client.putPart(url.get(), channel, offset, length));
        } catch (RuntimeException e) {
            failed.set(true);
            throw e;
        }
    }

    private static long lengthOf(UploadTicket ticket, int number, long size) {
        return Math.min(ticket.partSize(), size - (number - 1) * ticket.partSize());
    }

    private static long sizeOf(Path local) {
        try {
            return Files.size(local);
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    /** The value of a finished task, its own exception thrown as it was (the storage's answer to a part, a changed file). */
    private static <T> T await(Future<T> task, Path local) throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof IOException failure) {
                throw new LocalFileException("cannot read " + local + ": " + failure.getMessage(), failure);
            }
            throw new IllegalStateException("a part of the upload failed", e.getCause());
        }
    }
}
