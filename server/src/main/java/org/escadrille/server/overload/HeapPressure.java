package org.escadrille.server.overload;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether the heap that the last garbage collection left is nearly full: then every bounded call is shed
 * until a collection frees room ({@link Admission}). The bounds on requests in progress are counts, sized
 * for an average request; at 10,000 pilots asking for work the rest of the heap (connections, the queue,
 * the database's cache) still grew past 1 GiB on some runs and the server died of it (issue 18). Reading what
 * a collection left, not what is in use now, tells garbage from what is kept.
 */
@Component
class HeapPressure implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeapPressure.class);
    /**
     * The share of the heap, in use after a collection, above which every bounded call is shed. After G1's young
     * pauses the old generation's garbage still counts (740–820 MiB of 1 GiB at 10,000 pilots asking for work,
     * where the live data was 150–300 MiB), but a bar of 90% for those let the heap reach 1,013 MiB, where G1
     * fell back on full collections.
     */
    static final double HIGH = 0.75;
    private static final long HOLD_NANOS = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(pool -> pool.getName()).collect(Collectors.toSet());
    private volatile long usedAfterGc;
    /** Until when ({@link System#nanoTime()}) calls are shed: a second after a collection found the heap full. */
    private volatile long highUntilNanos;
    /** The time every call was or is to be shed for memory, up to {@link #highUntilNanos}; guarded by {@code this}. */
    private long shedNanos;
    private volatile boolean reportedHigh;
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            collected(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
        }
    };

    HeapPressure() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock of the shedding periods, as {@link System#nanoTime()} */
    HeapPressure(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.highUntilNanos = nanoTime.getAsLong();
        emitters().forEach(emitter -> emitter.addNotificationListener(listener, null, null));
    }

    /** Stops listening: the collectors outlive the application context (a test JVM holds many). */
    @Override
    public void close() {
        for (var emitter : emitters()) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // not listening there
            }
        }
    }

    private static List<NotificationEmitter> emitters() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(NotificationEmitter.class::isInstance).map(NotificationEmitter.class::cast).toList();
    }

    /**
     * Whether bounded calls are shed now for want of heap: for a second after a collection that left the heap
     * full, then again only if the next one does. Not until one frees room: G1's young collections count the
     * old generation's garbage as used until a mixed one reclaims it, and a server that admitted nothing would
     * allocate too little to ever get there.
     */
    boolean high() {
        return nanoTime.getAsLong() - highUntilNanos < 0;
    }

    /**
     * How long every bounded call has been shed for want of heap since the start, in seconds: the periods that
     * overlap counted once ({@code escadrille_overload_memory_shed_seconds_total}). Under a crowd it says how
     * much of the time the heap, not the bounds, turned calls away (bench/README.md, "Scale").
     */
    synchronized double shedSeconds() {
        long ahead = highUntilNanos - nanoTime.getAsLong();
        return (shedNanos - Math.max(0, ahead)) / 1e9;
    }

    /** The heap in use after the last collection, in bytes. */
    long usedAfterGc() {
        return usedAfterGc;
    }

    private void collected(GarbageCollectionNotificationInfo info) {
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey())).mapToLong(pool -> pool.getValue().getUsed()).sum();
        collected(info.getGcName(), info.getGcAction(), used);
    }

    /**
     * What a collection named {@code gcName} left: {@code used} bytes of heap. A pause inside a concurrent cycle
     * (G1's remark and cleanup, ZGC's and Shenandoah's pauses; their action ends with "pause") moves nothing and
     * reports the heap as it was, garbage included: read as what a collection left, those shed every call at
     * 2,000 pilots asking for work while the live data was under 400 MiB, five times in a window of 40 s.
     */
    void collected(String gcName, String gcAction, long used) {
        if (gcAction.endsWith("pause")) {
            return;
        }
        usedAfterGc = used;
        boolean nowHigh = used > HIGH * maxHeap;
        if (nowHigh) {
            synchronized (this) {
                long now = nanoTime.getAsLong();
                long until = now + HOLD_NANOS;
                shedNanos += until - (highUntilNanos - now > 0 ? highUntilNanos : now);
                highUntilNanos = until;
            }
        }
        if (nowHigh != reportedHigh) {
            reportedHigh = nowHigh;
            log.warn(nowHigh ? "the heap is {} MiB of {} MiB after a collection ({}, {}): every pilot and API call is shed for a second, and again after each collection that leaves it so"
                    : "the heap is {} MiB of {} MiB after a collection ({}, {}): calls are admitted again", used >> 20, maxHeap >> 20,
                    gcName, gcAction);
        }
    }
}
