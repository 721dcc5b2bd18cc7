package org.escadrille.server.api.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds the request bodies of the native API ({@code escadrille.limits.request-bytes}): a 50 MB
 * launch was read whole, stored, and sent back in every later listing (issue 19). A body that says
 * its length is refused with a 413 before it is read; one sent in chunks is cut off where it passes
 * the limit. File uploads are left alone: they stream to storage, never into memory.
 */
@Component
class RequestBodyLimit extends OncePerRequestFilter {
    private final long limit;
    private final JsonMapper json;

    RequestBodyLimit(EscadrilleProperties properties, JsonMapper json) {
        this.limit = properties.limits().requestBytes();
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/v1/") || (path.startsWith("/api/v1/files/") && "PUT".equals(request.getMethod()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            var problem = ApiExceptionHandler.problem(HttpStatus.CONTENT_TOO_LARGE, "Request too large", "the body takes "
                    + request.getContentLengthLong() + " bytes; at most " + limit + " are allowed here "
                    + "(escadrille.limits.request-bytes); pass large data as a file (PUT /api/v1/files/...)");
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType("application/problem+json");
            response.setHeader("Connection", "close");
            json.writeValue(response.getOutputStream(), problem);
            return;
        }
        chain.doFilter(request.getContentLengthLong() < 0 ? new Bounded(request, limit) : request, response);
    }

    /** A request whose body, of unknown length, fails to read past the limit. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit) {
                        throw new IOException("the body is over " + limit + " bytes (escadrille.limits.request-bytes)");
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
