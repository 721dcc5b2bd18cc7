package org.escadrille.cli.transfer;

/**
 * The CRC32C of two pieces of bytes laid end to end, from the CRC32C of each and the second's length, without
 * the bytes: how the ranges of a download fetched at once ({@link RangedDownload}) are checked as one file. It is
 * zlib's {@code crc32_combine} (Mark Adler's, zlib 1.2.12) for the Castagnoli polynomial: appending {@code n}
 * bytes multiplies the first CRC by x^(8n) modulo the polynomial, and the conditioning (initial and final
 * complement, which {@link java.util.zip.CRC32C} applies) cancels out. A combination costs at most 64 carry-less
 * multiplications of 32 bits, whatever the length.
 */
final class Crc32cCombine {
    /** The Castagnoli polynomial, bit-reversed as {@link java.util.zip.CRC32C} computes it. */
    private static final int POLYNOMIAL = 0x82F63B78;
    /** x^(2^k) modulo the polynomial, for every k that 8n reaches with n a {@code long}: 3 to 65. */
    private static final int[] X_TO_2_TO_THE = new int[66];

    static {
        int power = 1 << 30; // x^1 in the reflected order: the bit for x^0 is the highest
        for (int k = 0; k < X_TO_2_TO_THE.length; k++) {
            X_TO_2_TO_THE[k] = power;
            power = multiply(power, power);
        }
    }

    private Crc32cCombine() {
    }

    /** The CRC32C of A followed by B, given A's CRC32C, B's and B's length in bytes (0 or more). */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("a length of " + lengthB + " bytes");
        }
        return multiply(xToThe8Times(lengthB), crcA) ^ crcB;
    }

    /** a(x) b(x) modulo the polynomial, both reflected. */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int bit = 1 << 31; bit != 0; bit >>>= 1) {
            if ((a & bit) != 0) {
                product ^= b;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
        }
        return product;
    }

    /** x^(8n) modulo the polynomial: the product of x^(2^k) for each bit k of 8n. */
    private static int xToThe8Times(long n) {
        int power = 1 << 31; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                power = multiply(X_TO_2_TO_THE[k], power);
            }
        }
        return power;
    }
}
