package org.escadrille.server;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 connector with a 2 KB response buffer instead of 8 KB. Tomcat allocates that buffer
 * twice per request in progress (bytes, and chars for {@code getWriter()}), 24 KB in all at its default:
 * with thousands of pilots' long polls parked, that was a quarter of the heap. A larger response is
 * sent in chunks as one larger than 8 KB was; a response may still raise its own buffer
 * ({@code setBufferSize}). Public, with a public constructor: Tomcat instantiates it by class name.
 */
public class SmallResponseBufferProtocol extends Http11NioProtocol {
    static final int RESPONSE_BUFFER_BYTES = 2048;

    @Override
    public int getDesiredBufferSize() {
        return RESPONSE_BUFFER_BYTES;
    }
}
