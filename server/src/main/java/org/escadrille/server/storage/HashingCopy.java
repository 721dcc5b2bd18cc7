package org.escadrille.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.escadrille.protocol.Sha256;

/**
 * Copies a stream into a file and computes its SHA-256 on a second thread: the bytes are read and
 * written in chunks while the previous chunk is hashed, so that hashing (about 2 GB/s) overlaps the copy
 * instead of adding to it. The stream is read until a chunk is full (a request body gives a few KB a
 * read): the file is written in large writes, and the hashing thread is handed few, large pieces.
 * At most {@value #CHUNKS} chunks are in flight, so a copy holds {@value #CHUNKS} × {@value #CHUNK_BYTES}
 * bytes however large the stream; a stream that fits in its first, smaller chunk is hashed inline.
 */
final class HashingCopy {
    static final int FIRST_CHUNK_BYTES = 64 * 1024;
    static final int CHUNK_BYTES = 256 * 1024;
    static final int CHUNKS = 3;

    private HashingCopy() {
    }

    /** The size and SHA-256 (hexadecimal) of what was copied. */
    record Copied(long size, String sha256) {
    }

    /**
     * Copies {@code in} to {@code out} from its current position. On an exception (of the stream, e.g. a
     * quota's refusal, or of the file) the hashing thread is stopped and the exception is thrown as it was.
     */
    static Copied copy(InputStream in, FileChannel out) throws IOException {
        MessageDigest digest = Sha256.digest();
        byte[] first = new byte[FIRST_CHUNK_BYTES];
        int n = in.readNBytes(first, 0, first.length);
        writeFully(out, first, n);
        if (n < first.length) {
            digest.update(first, 0, n);
            return new Copied(n, Sha256.hex(digest));
        }
        var hasher = new Hasher(digest);
        try {
            hasher.hash(first, n);
            long size = n;
            for (int read = CHUNK_BYTES; read == CHUNK_BYTES; size += read) {
                byte[] chunk = hasher.freeChunk();
                read = in.readNBytes(chunk, 0, CHUNK_BYTES);
                writeFully(out, chunk, read);
                hasher.hash(chunk, read);
            }
            return new Copied(size, hasher.finish());
        } finally {
            hasher.stop();
        }
    }

    private static void writeFully(FileChannel out, byte[] bytes, int length) throws IOException {
        var buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /**
     * The hashing thread and the chunks it shares with the copying one: chunks go to it full, in order, and
     * come back free. The queues are its only shared state; the digest is its own until it finishes.
     */
    private static final class Hasher {
        private static final Chunk END = new Chunk(new byte[0], 0);
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
        private final CompletableFuture<String> sha256 = new CompletableFuture<>();
        private final Thread thread;
        private int allocated; // of CHUNK_BYTES: the caller's smaller first chunk is not reused

        Hasher(MessageDigest digest) {
            thread = Thread.ofVirtual().name("upload-sha256").start(() -> run(digest));
        }

        private void run(MessageDigest digest) {
            try {
                for (Chunk chunk = full.take(); chunk != END; chunk = full.take()) {
                    digest.update(chunk.bytes(), 0, chunk.length());
                    if (chunk.bytes().length == CHUNK_BYTES) {
                        free.add(chunk.bytes());
                    }
                }
                sha256.complete(Sha256.hex(digest));
            } catch (InterruptedException stopped) {
                sha256.cancel(false);
            } catch (RuntimeException e) {
                sha256.completeExceptionally(e);
            }
        }

        void hash(byte[] bytes, int length) throws IOException {
            if (length > 0) {
                put(new Chunk(bytes, length));
            }
        }

        /** A chunk to fill: a new one while fewer than {@link #CHUNKS} exist, else the next one hashed. */
        byte[] freeChunk() throws IOException {
            byte[] chunk = free.poll();
            if (chunk != null) {
                return chunk;
            }
            if (allocated < CHUNKS) {
                allocated++;
                return new byte[CHUNK_BYTES];
            }
            try {
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
        }

        String finish() throws IOException {
            put(END);
            try {
                return sha256.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            } catch (ExecutionException e) {
                throw new IllegalStateException("hashing failed", e.getCause());
            }
        }

        /** Ends the hashing thread if it still runs (the copy failed): nothing waits for it after. */
        void stop() {
            thread.interrupt();
        }

        private void put(Chunk chunk) throws IOException {
            try {
                full.put(chunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            }
        }
    }

    private record Chunk(byte[] bytes, int length) {
    }
}
