package org.escadrille.cli.transfer;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file a download in ranges writes, each range at its place, one write at a time.
 *
 * <p>On a local disk's file system (ext4, XFS) the bytes go to the disk without the page cache ({@code O_DIRECT}),
 * gathered into aligned blocks of {@link #STAGING} bytes: copying a download into the page cache costs the kernel
 * about a CPU-second per GiB here, as much as the store's whole side of the transfer, and a download's bytes are
 * seldom read again at once. Elsewhere (a network file system, tmpfs, a JVM without {@code O_DIRECT}) they are
 * written as usual. Writes are serialised here rather than in the kernel: concurrent buffered writes of one file
 * spin on its inode's lock (a sixth of a ranged download's CPU, measured with {@code perf}).
 */
final class RangeFile implements AutoCloseable {
    /**
     * Bytes gathered before a write that bypasses the page cache: a multiple of any disk's block size. 4 MiB
     * downloaded a little faster than 1 MiB here, 8 and 16 MiB no faster (bench/README.md, "Transfers").
     */
    static final int STAGING = 4 << 20;
    /** The smallest alignment of a write past the page cache, whatever block the file system reports. */
    private static final int MIN_BLOCK = 4096;
    /** File systems of local disks, where {@code O_DIRECT} is well supported and fast. */
    private static final Set<String> DIRECT_FILE_SYSTEMS = Set.of("ext4", "xfs");

    private final FileChannel buffered;
    /** The same file opened with {@code O_DIRECT}; null when written through the page cache. */
    private final FileChannel direct;
    private final int block;
    private final ReentrantLock writes = new ReentrantLock();
    private final ConcurrentLinkedQueue<ByteBuffer> spare = new ConcurrentLinkedQueue<>();

    private RangeFile(FileChannel buffered, FileChannel direct, int block) {
        this.buffered = buffered;
        this.direct = direct;
        this.block = block;
    }

    /**
     * Creates or truncates {@code part}, for ranges starting at multiples of {@code rangeBytes}; written past the
     * page cache if {@code bypassCache}, the file system allows it, and the ranges start on its blocks.
     */
    static RangeFile open(Path part, long rangeBytes, boolean bypassCache) throws IOException {
        FileChannel buffered = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        if (!bypassCache) {
            return new RangeFile(buffered, null, 0);
        }
        try {
            var store = Files.getFileStore(part);
            // Aligned to 4 KiB at least: no disk asks for more.
            long block = Math.max(MIN_BLOCK, store.getBlockSize());
            if (!DIRECT_FILE_SYSTEMS.contains(store.type()) || block > STAGING || STAGING % block != 0
                    || rangeBytes % block != 0) {
                return new RangeFile(buffered, null, 0);
            }
            return new RangeFile(buffered, FileChannel.open(part, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT),
                    (int) block);
        } catch (IOException | UnsupportedOperationException notHere) {
            return new RangeFile(buffered, null, 0);
        }
    }

    /** Whether writes bypass the page cache. */
    boolean bypassesCache() {
        return direct != null;
    }

    /** A writer of the range that starts at {@code start}, from one thread at a time. */
    Range range(long start) {
        return new Range(start);
    }

    @Override
    public void close() throws IOException {
        try (buffered) {
            if (direct != null) {
                direct.close();
            }
        }
    }

    /** One range's writer: its bytes in order, then {@link #finish()}. */
    final class Range {
        private long position;
        /** Bytes not yet written, for a direct write; null when written through the page cache. */
        private ByteBuffer staging;

        private Range(long start) {
            this.position = start;
            if (direct != null) {
                ByteBuffer reused = spare.poll();
                staging = reused != null ? reused : ByteBuffer.allocateDirect(STAGING + block).alignedSlice(block).slice(0, STAGING);
            }
        }

        /** Writes, or gathers, all of {@code bytes}. */
        void write(ByteBuffer bytes) throws IOException {
            if (staging == null) {
                writeAt(buffered, bytes);
                return;
            }
            while (bytes.hasRemaining()) {
                int take = Math.min(staging.remaining(), bytes.remaining());
                staging.put(staging.position(), bytes, bytes.position(), take).position(staging.position() + take);
                bytes.position(bytes.position() + take);
                if (!staging.hasRemaining()) {
                    staging.flip();
                    writeAt(direct, staging);
                    staging.clear();
                }
            }
        }

        /** Writes what is gathered: whole blocks past the page cache, the file's last partial block through it. */
        void finish() throws IOException {
            if (staging == null) {
                return;
            }
            staging.flip();
            int whole = staging.limit() - staging.limit() % block;
            int end = staging.limit();
            staging.limit(whole);
            writeAt(direct, staging);
            staging.limit(end);
            writeAt(buffered, staging);
            spare.add(staging.clear());
            staging = null;
        }

        private void writeAt(FileChannel channel, ByteBuffer bytes) throws IOException {
            writes.lock();
            try {
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
            } finally {
                writes.unlock();
            }
        }
    }
}
