package org.escadrille.server.portal;

import org.escadrille.server.Page;

/**
 * Where a page of a portal list stands (page numbers from 1), for the "previous / next" links that
 * list pages share: no page grows with everything a user or the catalogue holds.
 *
 * @param page  this page's number
 * @param pages how many pages the whole list makes (at least 1)
 * @param total the whole list's length
 */
record Pager(int page, int pages, int total) {

    /** The first item of page {@code page} (from 1; anything below is page 1) of pages of {@code size}. */
    static int offset(int page, int size) {
        return (Math.max(1, page) - 1) * size;
    }

    static Pager of(Page<?> shown, int size) {
        return new Pager(shown.offset() / size + 1, Math.max(1, (shown.total() + size - 1) / size), shown.total());
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }
}
