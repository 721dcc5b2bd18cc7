package org.escadrille.cli.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;

/**
 * The SHA-256 of a whole file, read in file order, and the CRC32C of each of its parts as that read
 * saw them. Parts sent at once read their regions on their own; comparing each part's CRC32C with the
 * one its sender read (CRC32C costs a thirtieth of SHA-256) proves the SHA-256 is that of the bytes sent.
 * The whole file's CRC32C, computed on the same read, is recorded beside the SHA-256 for downloads to be
 * checked with.
 */
record PartDigests(String sha256, long[] crc32c, String wholeCrc32c) {
    private static final int CHUNK = 1 << 20;

    /** Reads {@code size} bytes of {@code channel} (positional reads: other readers share it) in parts of {@code partSize}. */
    static PartDigests read(FileChannel channel, Path file, long size, long partSize, int partCount) throws IOException {
        MessageDigest whole = Sha256.digest();
        CRC32C wholeCrc = new CRC32C();
        long[] crcs = new long[partCount];
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(size, 1)));
        long position = 0;
        for (int part = 0; part < partCount; part++) {
            CRC32C crc = new CRC32C();
            long end = Math.min(size, position + partSize);
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new LocalFileException(file + " became shorter during the upload", null);
                }
                whole.update(buffer.array(), 0, read);
                crc.update(buffer.array(), 0, read);
                wholeCrc.update(buffer.array(), 0, read);
                position += read;
            }
            crcs[part] = crc.getValue();
        }
        buffer.clear().limit(1);
        if (channel.read(buffer, size) > 0) {
            throw new LocalFileException(file + " grew during the upload", null);
        }
        return new PartDigests(Sha256.hex(whole), crcs, HexFormat.of().toHexDigits((int) wholeCrc.getValue()));
    }
}
