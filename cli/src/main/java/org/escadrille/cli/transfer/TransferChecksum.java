package org.escadrille.cli.transfer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;

/**
 * A checksum a download is checked with as it arrives: the file's SHA-256 (its identity, about 1.9 GB/s
 * here), or the CRC32C the server recorded beside it when it wrote the file (an intrinsic of the CPU,
 * about 60 GB/s). CRC32C is what S3 and Google Cloud Storage check transfers with: it catches every burst
 * of errors up to 32 bits and lets a random corruption through with probability 2^-32, which is enough to
 * tell that the bytes that arrived are those the server recorded, not to name a file.
 */
sealed interface TransferChecksum {
    /** The checksum's name, for messages: {@code SHA-256} or {@code CRC32C}. */
    String name();

    void update(ByteBuffer buffer);

    /** The checksum of everything given so far, in lower-case hexadecimal (64 digits, or 8). */
    String hex();

    static TransferChecksum sha256() {
        return new Sha256Sum(Sha256.digest());
    }

    /** With the digest to feed: a test gives one that fails or stalls. */
    static TransferChecksum sha256(MessageDigest digest) {
        return new Sha256Sum(digest);
    }

    static TransferChecksum crc32c() {
        return new Crc32cSum(new CRC32C());
    }

    record Sha256Sum(MessageDigest digest) implements TransferChecksum {
        @Override
        public String name() {
            return "SHA-256";
        }

        @Override
        public void update(ByteBuffer buffer) {
            digest.update(buffer);
        }

        @Override
        public String hex() {
            return Sha256.hex(digest);
        }
    }

    record Crc32cSum(CRC32C crc) implements TransferChecksum {
        @Override
        public String name() {
            return "CRC32C";
        }

        @Override
        public void update(ByteBuffer buffer) {
            crc.update(buffer);
        }

        @Override
        public String hex() {
            return HexFormat.of().toHexDigits((int) crc.getValue());
        }
    }
}
