package org.escadrille.cli.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * One region of a file, read by positional reads of a channel that several regions share (each part
 * of an upload reads its own region while the others read theirs), keeping the CRC32C of the bytes
 * read: the uploader compares it with the CRC32C of the same region as its SHA-256 reader saw it, so
 * that the SHA-256 it reports is that of the bytes sent. Holds no buffer of its own: it reads into the
 * caller's, and the HTTP client asks for one buffer at a time.
 */
final class FileRegionStream extends InputStream {
    private final FileChannel channel;
    private final long end;
    private final CRC32C crc = new CRC32C();
    private long position;

    FileRegionStream(FileChannel channel, long offset, long length) {
        this.channel = channel;
        this.position = offset;
        this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (position >= end) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        int wanted = (int) Math.min(length, end - position);
        int read = channel.read(ByteBuffer.wrap(into, offset, wanted), position);
        if (read < 0) {
            throw new IOException("the file became shorter during the upload");
        }
        crc.update(into, offset, read);
        position += read;
        return read;
    }

    /** The CRC32C of the bytes read so far. */
    long crc32c() {
        return crc.getValue();
    }
}
