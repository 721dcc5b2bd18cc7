package org.escadrille.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A stream read through, keeping the CRC32C and the count of the bytes that went by: an upload's CRC32C is
 * recorded beside its SHA-256, for clients to check a download with (CRC32C is an intrinsic of the CPU, some
 * 30 times cheaper than the SHA-256 the file is named by). It extends {@link InputStream}, not
 * {@code FilterInputStream}, so that every bulk read ({@code readNBytes}, {@code transferTo}) goes through
 * {@link #read(byte[], int, int)} and is counted.
 */
final class Crc32cStream extends InputStream {
    private final InputStream in;
    private final CRC32C crc = new CRC32C();
    private long count;

    Crc32cStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            crc.update(b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int n = in.read(bytes, offset, length);
        if (n > 0) {
            crc.update(bytes, offset, n);
            count += n;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The CRC32C of the bytes read, as 8 lower-case hexadecimal digits, if they are the {@code size} stored; else null. */
    String hexIfAll(long size) {
        return size == count ? HexFormat.of().toHexDigits((int) crc.getValue()) : null;
    }
}
