package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;

/**
 * Hands a local file to Tomcat's sendfile: once the response's headers are written, the connector has the
 * kernel copy the bytes from the file to the socket ({@code FileChannel.transferTo}) instead of the servlet
 * streaming them through its buffers, which are small for the sake of idle pilots (4 KB a write). The
 * request attributes are Tomcat's ({@code org.apache.coyote.Constants}); where the connector does not
 * offer sendfile (another container, HTTP/2, {@code useSendfile=false}) or the connection is the
 * connector's own TLS, the caller streams the file.
 */
final class Sendfile {
    /** Below this a plain write costs less than handing the socket to the connector's poller (Tomcat's DefaultServlet: 48 KB). */
    static final long MIN_BYTES = 48 * 1024;
    static final String SUPPORTED = "org.apache.tomcat.sendfile.support";
    static final String FILENAME = "org.apache.tomcat.sendfile.filename";
    static final String START = "org.apache.tomcat.sendfile.start";
    static final String END = "org.apache.tomcat.sendfile.end";
    /** Set only on a connection whose TLS the connector itself terminates (not one behind a proxy). */
    static final String CIPHER_SUITE = "jakarta.servlet.request.cipher_suite";

    private Sendfile() {
    }

    /**
     * Asks the connector to send {@code length} bytes of {@code file} from {@code start} as the body of a
     * GET's response; answers whether it will, in which case the caller sets the Content-Length and writes
     * no body. A HEAD, a small file, a connection in TLS or a connector without sendfile get false.
     */
    static boolean offer(HttpServletRequest request, Path file, long start, long length) {
        if (length < MIN_BYTES || !"GET".equals(request.getMethod())
                || !Boolean.TRUE.equals(request.getAttribute(SUPPORTED))
                // Tomcat's NIO connector would encrypt the file on its poller thread, which all connections wait on.
                || request.getAttribute(CIPHER_SUITE) != null) {
            return false;
        }
        request.setAttribute(FILENAME, file.toAbsolutePath().toString());
        request.setAttribute(START, start);
        request.setAttribute(END, start + length);
        return true;
    }
}
