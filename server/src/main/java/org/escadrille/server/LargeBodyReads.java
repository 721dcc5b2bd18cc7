package org.escadrille.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.http11.Http11InputBuffer;
import org.apache.tomcat.util.net.SecureNioChannel;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a large request body (an upload) {@value #READ_BUFFER_BYTES} bytes a system call instead of
 * {@value WebServerConfiguration#SOCKET_BUFFER_BYTES}: Tomcat reads a connection's socket into its read
 * buffer, which is small because every idle pilot holds one ({@link WebServerConfiguration}), and a 4 GiB
 * upload cost a million reads (a sixth of the server's CPU for it, on loopback). This connection's read
 * buffer is grown for the request and given back its small size after it, so idle connections keep
 * theirs. Tomcat has no setting per request: the buffer is reached through two of its private fields
 * ({@code RequestFacade.request}, {@code Http11InputBuffer.wrapper}); where they are not there (another
 * Tomcat, HTTP/2) the body is read as before, and {@code LargeBodyReadsTest} fails. A TLS connection
 * (the connector's own, not a proxy's) keeps its buffer: its decryption fills it by rules of its own.
 */
@Component
final class LargeBodyReads extends OncePerRequestFilter implements Ordered {
    /** A declared body at least this large gets the large buffer; smaller ones are read in a few calls anyway. */
    static final long LARGE_BODY_BYTES = 1024 * 1024;
    static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(LargeBodyReads.class);
    private static final Internals INTERNALS = Internals.find();

    @Override
    public int getOrder() {
        // Before any filter wraps the request, so that Tomcat's own is the one this filter sees.
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var buffers = request.getContentLengthLong() >= LARGE_BODY_BYTES ? socketBuffers(request) : null;
        if (buffers == null) {
            chain.doFilter(request, response);
            return;
        }
        int small = readBuffer(buffers).capacity();
        resize(buffers, READ_BUFFER_BYTES);
        try {
            chain.doFilter(request, response);
        } finally {
            resize(buffers, small);
        }
    }

    /** The capacity of the connection's read buffer now, or -1 where it cannot be reached. */
    static int readBufferBytes(ServletRequest request) {
        var buffers = socketBuffers(request);
        return buffers == null ? -1 : readBuffer(buffers).capacity();
    }

    private static SocketBufferHandler socketBuffers(ServletRequest request) {
        if (INTERNALS == null) {
            return null;
        }
        while (request instanceof ServletRequestWrapper wrapper) {
            request = wrapper.getRequest();
        }
        try {
            if (request instanceof RequestFacade facade
                    && INTERNALS.request.get(facade) instanceof org.apache.catalina.connector.Request tomcat
                    && tomcat.getCoyoteRequest().getInputBuffer() instanceof Http11InputBuffer input
                    && INTERNALS.wrapper.get(input) instanceof SocketWrapperBase<?> socket
                    // TLS decrypts into the read buffer by its own rules: left as Tomcat sizes it.
                    && !(socket.getSocket() instanceof SecureNioChannel)) {
                return socket.getSocketBufferHandler();
            }
        } catch (IllegalAccessException e) {
            log.debug("cannot reach the connection's read buffer", e);
        }
        return null;
    }

    private static ByteBuffer readBuffer(SocketBufferHandler buffers) {
        return buffers.getReadBuffer();
    }

    /**
     * Gives the read buffer {@code capacity}, keeping the bytes it holds (read ahead of the body); it is
     * only shrunk when empty, so a connection whose client sent more (its next request) keeps the large
     * one until it closes. Only the thread serving the request touches the buffer meanwhile.
     */
    private static void resize(SocketBufferHandler buffers, int capacity) {
        buffers.configureReadBufferForWrite();
        ByteBuffer current = buffers.getReadBuffer();
        if (current.capacity() == capacity || capacity < current.capacity() && current.position() > 0) {
            return;
        }
        ByteBuffer resized = current.isDirect() ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        resized.put(current.flip());
        try {
            INTERNALS.readBuffer.set(buffers, resized);
        } catch (IllegalAccessException e) {
            current.position(current.limit()).limit(current.capacity());
            log.debug("cannot resize the connection's read buffer", e);
        }
    }

    /** Tomcat's private fields, found once; null where this Tomcat has not got them. */
    private record Internals(Field request, Field wrapper, Field readBuffer) {
        static Internals find() {
            try {
                return new Internals(accessible(RequestFacade.class, "request"), accessible(Http11InputBuffer.class, "wrapper"),
                        accessible(SocketBufferHandler.class, "readBuffer"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.info("large request bodies are read in {}-byte system calls: this Tomcat has not got the fields that "
                        + "give a request a larger read buffer ({})", WebServerConfiguration.SOCKET_BUFFER_BYTES, e.toString());
                return null;
            }
        }

        private static Field accessible(Class<?> type, String name) throws NoSuchFieldException {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }
    }
}
