package org.escadrille.server.storage;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per storage key, held only while some writer uses it (the map keeps no key longer), so that two
 * writes of one key run one after the other while writes of other keys run freely.
 */
final class KeyLocks {
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    /** Work on one key, under its lock. */
    interface Work<T> {
        T run() throws IOException;
    }

    <T> T with(String key, Work<T> work) throws IOException {
        // Counted inside compute, which runs atomically for a key: the last user removes the entry.
        Held entry = held.compute(key, (k, h) -> {
            Held used = h == null ? new Held() : h;
            used.users++;
            return used;
        });
        entry.lock.lock();
        try {
            return work.run();
        } finally {
            entry.lock.unlock();
            held.computeIfPresent(key, (k, h) -> --h.users == 0 ? null : h);
        }
    }

    /** Whether some writer holds or waits for the key's lock (for tests). */
    boolean busy(String key) {
        return held.containsKey(key);
    }

    private static final class Held {
        private final ReentrantLock lock = new ReentrantLock();
        private int users;
    }
}
