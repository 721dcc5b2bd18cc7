package org.escadrille.server;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: its items, where it starts in the whole list, and how long the whole list is.
 * Lists are paged so that no answer grows with everything a user ever did (issue 19).
 */
public record Page<T>(List<T> items, int offset, int total) {
    public Page {
        items = List.copyOf(items);
    }

    /** The page of an in-memory list starting at {@code offset}, at most {@code limit} long. */
    public static <T> Page<T> of(List<T> all, int offset, int limit) {
        int from = Math.min(offset, all.size());
        return new Page<>(all.subList(from, Math.min(all.size(), from + limit)), offset, all.size());
    }

    /** Whether items follow this page. */
    public boolean hasNext() {
        return offset + items.size() < total;
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), offset, total);
    }
}
