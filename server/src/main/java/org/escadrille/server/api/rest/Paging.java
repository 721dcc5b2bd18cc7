package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.escadrille.server.Page;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code ?limit=&offset=} of the API's lists: checked against {@code escadrille.limits.max-page-size},
 * and answered with the whole list's length ({@code X-Total-Count}) and, when more follows, a link
 * to the next page ({@code Link: <...>; rel="next"}, RFC 8288), so that a list stays a JSON array.
 */
@Component
class Paging {
    private final EscadrilleProperties.Limits limits;

    Paging(EscadrilleProperties properties) {
        this.limits = properties.limits();
    }

    /** Where a page starts and how long it is. */
    record Window(int offset, int limit) {
    }

    Window window(Integer limit, Integer offset) {
        int size = limit == null ? limits.pageSize() : limit;
        int start = offset == null ? 0 : offset;
        if (size < 1 || size > limits.maxPageSize()) {
            throw new InvalidRequestException("Invalid page", "limit must be between 1 and " + limits.maxPageSize()
                    + " (escadrille.limits.max-page-size), got " + size,
                    List.of(new FieldProblem("limit", "must be between 1 and " + limits.maxPageSize())));
        }
        if (start < 0) {
            throw new InvalidRequestException("Invalid page", "offset must not be negative, got " + start,
                    List.of(new FieldProblem("offset", "must not be negative")));
        }
        return new Window(start, size);
    }

    <T> ResponseEntity<List<T>> answer(Page<T> page, Window window, HttpServletRequest request) {
        return ResponseEntity.ok().headers(headers(page, window, request)).body(page.items());
    }

    HttpHeaders headers(Page<?> page, Window window, HttpServletRequest request) {
        var headers = new HttpHeaders();
        headers.set("X-Total-Count", Integer.toString(page.total()));
        if (page.hasNext()) {
            headers.set(HttpHeaders.LINK, "<" + next(page, window, request) + ">; rel=\"next\"");
        }
        return headers;
    }

    /** The next page's address, relative to the server (what a proxy in front rewrites least). */
    static String next(Page<?> page, Window window, HttpServletRequest request) {
        var next = ServletUriComponentsBuilder.fromRequest(request)
                .replaceQueryParam("offset", page.offset() + page.items().size())
                .replaceQueryParam("limit", window.limit()).build();
        return next.getPath() + "?" + next.getQuery();
    }
}
