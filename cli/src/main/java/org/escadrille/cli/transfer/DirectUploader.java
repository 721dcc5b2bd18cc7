package org.escadrille.cli.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.PartUrl;
import org.escadrille.cli.api.StoredFile;
import org.escadrille.cli.api.UploadTicket;
import org.escadrille.protocol.Sha256;

/**
 * Uploads a file straight to the server's storage (S3) with the URLs the server signs, one part at a
 * time (the only part of the file in memory), hashing each part while it is sent: the server records
 * the file once told its SHA-256. Run again after an interruption, it resumes: the server names the parts it already
 * holds, which are read again only to be hashed, and only the others are sent. Empty when the server
 * takes uploads only through itself (local storage); it then remembers that for the files that follow.
 */
public final class DirectUploader {
    private final GatewayClient client;
    private boolean throughServer;
    private int partsSent;

    public DirectUploader(GatewayClient client) {
        this.client = client;
    }

    /**
     * Uploads {@code local} to {@code remote}, reporting the bytes done (those of parts already held
     * too) to {@code done} after each part; empty when the server wants it through itself.
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
        if (ticket.partSize() > Integer.MAX_VALUE - 8) {
            throw new LocalFileException("the server asks for parts of " + ticket.partSize()
                    + " bytes, more than this client can hold in memory", null);
        }
        MessageDigest whole = Sha256.digest();
        Set<Integer> held = new HashSet<>(ticket.uploadedParts());
        byte[] buffer = new byte[(int) Math.min(ticket.partSize(), Math.max(size, 1))];
        try (InputStream in = Files.newInputStream(local);
             ExecutorService hasher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory())) {
            for (int number = 1; number <= ticket.partCount(); number++) {
                int length = (int) Math.min(ticket.partSize(), size - (number - 1) * ticket.partSize());
                if (in.readNBytes(buffer, 0, length) != length) {
                    throw new LocalFileException(local + " became shorter during the upload", null);
                }
                if (held.contains(number)) {
                    whole.update(buffer, 0, length);
                } else if (ticket.partCount() == 1) {
                    whole.update(buffer, 0, length);
                    client.putPart(client.partUrl(ticket.id(), number, Sha256.hex(cloneOf(whole))), buffer, length);
                    partsSent++;
                } else {
                    // The part is hashed while it is sent (both only read the buffer): hashing it first
                    // added its time, about a sixth of the sending's, to every part.
                    PartUrl url = client.partUrl(ticket.id(), number, null);
                    int hashed = length;
                    Future<?> hashing = hasher.submit(() -> whole.update(buffer, 0, hashed));
                    client.putPart(url, buffer, length);
                    awaitHash(hashing);
                    partsSent++;
                }
                done.accept(length);
            }
            if (in.read() >= 0) {
                throw new LocalFileException(local + " grew during the upload", null);
            }
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + local + ": " + e.getMessage(), e);
        }
        return Optional.of(client.completeUpload(ticket.id(), Sha256.hex(whole)));
    }

    /** How many parts this uploader sent (those the server already held not counted). */
    public int partsSent() {
        return partsSent;
    }

    private static long sizeOf(Path local) {
        try {
            return Files.size(local);
        } catch (IOException e) {
            throw new LocalFileException("cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    private static void awaitHash(Future<?> hashing) {
        try {
            hashing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalFileException("the upload was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("SHA-256 of a part in memory failed", e.getCause());
        }
    }

    private static MessageDigest cloneOf(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of the JDK are cloneable", e);
        }
    }
}
