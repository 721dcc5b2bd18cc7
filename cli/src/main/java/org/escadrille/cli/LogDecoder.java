package org.escadrille.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a log that arrives in pieces cut at byte offsets: a UTF-8 character split between two
 * pieces is held back until its end arrives, instead of printing two replacement characters.
 */
final class LogDecoder {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];

    String decode(byte[] bytes) {
        return decode(bytes, false);
    }

    /** What is left when the log is complete (an incomplete last character, as a replacement character). */
    String finish() {
        return decode(new byte[0], true);
    }

    private String decode(byte[] bytes, boolean endOfInput) {
        ByteBuffer in = ByteBuffer.allocate(pending.length + bytes.length).put(pending).put(bytes).flip();
        // UTF-8 never yields more chars than bytes, plus one for a replacement at the end.
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, endOfInput);
        if (endOfInput) {
            decoder.flush(out);
            decoder.reset();
        }
        pending = new byte[in.remaining()];
        in.get(pending);
        return out.flip().toString();
    }
}
