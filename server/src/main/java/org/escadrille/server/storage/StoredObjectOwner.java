package org.escadrille.server.storage;

import java.util.Set;

/**
 * A feature whose records name objects on the storage element, under prefixes of its own: the
 * {@link OrphanSweeper} asks every owner of a prefix before it removes an object there, and leaves alone
 * every prefix that no owner claims. Each owner answers from its own tables, so that the sweeper reads
 * no other feature's SQL.
 */
public interface StoredObjectOwner {

    /** The key prefixes (each ending with {@code /}) under which this owner's records name objects. */
    Set<String> prefixes();

    /**
     * Whether a record of this owner names the object at {@code key} (under one of its prefixes), or
     * will: an object still being produced (an attempt's outputs while it runs) counts as named.
     */
    boolean names(String key);
}
