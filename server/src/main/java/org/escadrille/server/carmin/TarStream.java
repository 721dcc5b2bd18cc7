package org.escadrille.server.carmin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tar archive written as it goes (POSIX ustar; a name longer than 100 bytes goes first in a GNU
 * {@code ././@LongLink} entry, which Python's {@code tarfile} and GNU tar read). What CARMIN returns
 * for the content of a directory; the JDK has no tar writer.
 */
final class TarStream implements AutoCloseable {
    private static final int BLOCK = 512;
    private final OutputStream out;

    TarStream(OutputStream out) {
        this.out = out;
    }

    void directory(String name, long modifiedAtMs) throws IOException {
        header(name.endsWith("/") ? name : name + "/", 0, modifiedAtMs, '5', 0755);
    }

    void file(String name, long size, long modifiedAtMs, InputStream content) throws IOException {
        header(name, size, modifiedAtMs, '0', 0644);
        long copied = content.transferTo(out);
        if (copied != size) {
            throw new IOException(name + " changed while it was archived (" + copied + " bytes instead of " + size + ")");
        }
        pad(size);
    }

    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void header(String name, long size, long modifiedAtMs, char type, int mode) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            header("././@LongLink", nameBytes.length + 1, 0, 'L', 0644);
            out.write(nameBytes);
            out.write(0);
            pad(nameBytes.length + 1);
        }
        byte[] block = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, block, 0, Math.min(100, nameBytes.length));
        octal(block, 100, 8, mode);
        octal(block, 108, 8, 0);
        octal(block, 116, 8, 0);
        octal(block, 124, 12, size);
        octal(block, 136, 12, modifiedAtMs / 1000);
        for (int i = 148; i < 156; i++) {
            block[i] = ' ';
        }
        block[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 6);
        block[263] = '0';
        block[264] = '0';
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        octal(block, 148, 7, sum);
        out.write(block);
    }

    /** Octal digits, zero-padded, NUL-terminated, in {@code length} bytes. */
    private static void octal(byte[] block, int at, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a tar header field");
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, block, at, length - 1);
        block[at + length - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
