package org.escadrille.server.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.escadrille.server.EscadrilleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Removes orphans from the storage element: objects under a prefix that some {@link StoredObjectOwner}
 * claims, that none of that prefix's owners names, and that were last modified longer ago than
 * {@code escadrille.housekeeping.orphan-grace} (checkpoints of an attempt that raced its end, outputs of a
 * half-deleted execution, uploads whose record was never written), and what uploads that never
 * finished left (a local temporary file, an S3 multipart upload). The grace period covers the moment
 * between an object's write and its record's, which every writer takes in that order or the other.
 * Prefixes no owner claims are never touched. Counts what it removes in
 * {@code escadrille_storage_orphans_removed_total} and {@code escadrille_storage_orphans_removed_bytes_total}.
 */
@Service
public class OrphanSweeper {
    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

    private final Storage storage;
    private final List<StoredObjectOwner> owners;
    private final Duration grace;
    private final Clock clock;
    private final Counter removedObjects;
    private final Counter removedBytes;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicReference<SweepReport> last = new AtomicReference<>();

    OrphanSweeper(Storage storage, List<StoredObjectOwner> owners, EscadrilleProperties properties, Clock clock,
                  MeterRegistry registry) {
        this.storage = storage;
        this.owners = List.copyOf(owners);
        this.grace = properties.housekeeping().orphanGrace();
        this.clock = clock;
        this.removedObjects = Counter.builder("escadrille.storage.orphans.removed")
                .description("objects the sweeper removed because no record named them").register(registry);
        this.removedBytes = Counter.builder("escadrille.storage.orphans.removed.bytes").baseUnit("bytes")
                .description("bytes of the objects the sweeper removed").register(registry);
    }

    /**
     * Every {@code escadrille.housekeeping.sweep-interval}, first one interval after the start, on a thread of
     * its own: a pass over a large bucket takes minutes, and the scheduler's thread also expires leases.
     */
    @Scheduled(fixedDelayString = "${escadrille.housekeeping.sweep-interval:PT6H}",
            initialDelayString = "${escadrille.housekeeping.sweep-interval:PT6H}")
    void sweepOnSchedule() {
        Thread.ofVirtual().name("orphan-sweep").start(this::sweep);
    }

    /**
     * One pass over every owned prefix; answers its report. A pass already running (the schedule's, or an
     * admin's) is not started twice: the caller gets the report of the one that was running.
     */
    public SweepReport sweep() {
        if (!running.tryLock()) {
            running.lock();
            running.unlock();
            return last.get();
        }
        try {
            SweepReport report = pass();
            last.set(report);
            log.info("orphan sweep: {} objects examined, {} removed ({} bytes){}", report.examined(), report.removed(),
                    report.removedBytes(), report.failures().isEmpty() ? "" : ", " + report.failures().size() + " failures");
            return report;
        } finally {
            running.unlock();
        }
    }

    /** The report of the last pass since the server started, if any. */
    public Optional<SweepReport> lastReport() {
        return Optional.ofNullable(last.get());
    }

    private SweepReport pass() {
        long started = clock.millis();
        long cutoff = started - grace.toMillis();
        int examined = 0;
        int removed = 0;
        long bytes = 0;
        var keys = new ArrayList<String>();
        var failures = new ArrayList<String>();
        for (String prefix : prefixesToWalk()) {
            List<Storage.ObjectInfo> objects;
            try {
                objects = storage.walk(prefix);
            } catch (IOException | RuntimeException e) {
                failures.add(prefix + ": cannot list: " + e.getMessage());
                continue;
            }
            for (var object : objects) {
                examined++;
                // Young objects first: that costs no owner a query.
                if (object.modifiedAtMs() > cutoff) {
                    continue;
                }
                try {
                    if (named(object.key())) {
                        continue;
                    }
                } catch (RuntimeException e) {
                    // An owner that cannot answer (its database away) keeps the object.
                    failures.add(object.key() + ": not removed, its owner could not say whether it is named: " + e.getMessage());
                    continue;
                }
                try {
                    storage.delete(object.key());
                } catch (IOException | RuntimeException e) {
                    failures.add(object.key() + ": " + e.getMessage());
                    continue;
                }
                log.info("orphan removed: {} ({} bytes, last modified {})", object.key(), object.size(),
                        Instant.ofEpochMilli(object.modifiedAtMs()));
                removed++;
                bytes += object.size();
                removedObjects.increment();
                removedBytes.increment(object.size());
                if (keys.size() < SweepReport.LISTED) {
                    keys.add(object.key());
                }
            }
        }
        int abandoned = 0;
        try {
            // Only under prefixes some feature claims, and none it names: users' resumable uploads are their
            // sessions' (escadrille.uploads.abandoned-after), a live attempt's output upload its attempt's.
            abandoned = storage.removeAbandonedUploads(cutoff, key -> claimed(key) && !named(key));
        } catch (IOException | RuntimeException e) {
            failures.add("unfinished uploads: " + e.getMessage());
        }
        if (abandoned > 0) {
            log.info("orphan sweep: {} unfinished uploads begun before {} removed", abandoned, Instant.ofEpochMilli(cutoff));
        }
        return new SweepReport(started, clock.millis(), grace.toSeconds(), examined, removed, bytes, keys, abandoned, failures);
    }

    /** Whether some owner answers for a prefix that holds the key. */
    private boolean claimed(String key) {
        return owners.stream().anyMatch(owner -> owner.prefixes().stream().anyMatch(key::startsWith));
    }

    /** Whether an owner of a prefix that holds the key names it. */
    private boolean named(String key) {
        for (var owner : owners) {
            if (owner.prefixes().stream().anyMatch(key::startsWith) && owner.names(key)) {
                return true;
            }
        }
        return false;
    }

    /** The owned prefixes to walk: each once, and none inside another (users/ holds users/alice/shared/). */
    private List<String> prefixesToWalk() {
        var prefixes = new TreeSet<String>();
        for (var owner : owners) {
            for (String prefix : owner.prefixes()) {
                if (!prefix.endsWith("/") || prefix.length() < 2) {
                    throw new IllegalStateException(owner.getClass().getSimpleName() + " claims '" + prefix
                            + "': a prefix must be a directory (end with /), never the whole storage");
                }
                prefixes.add(prefix);
            }
        }
        var outermost = new ArrayList<String>();
        for (String prefix : prefixes) {
            // Sorted: a prefix comes right after the one that holds it, if any.
            if (outermost.isEmpty() || !prefix.startsWith(outermost.getLast())) {
                outermost.add(prefix);
            }
        }
        return outermost;
    }
}
