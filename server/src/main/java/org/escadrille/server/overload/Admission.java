package org.escadrille.server.overload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The bound on requests in progress of each {@link CallKind}: a permit per request, waited for at most
 * {@code escadrille.overload.queue-wait} ({@code completion-queue-wait} for completions; in arrival order,
 * by at most as many requests as the bound and {@link #MAX_WAITING}), given back when the request ends. A
 * request that got one is never shed. Nothing is admitted while the heap is nearly full, and no lease while
 * completions wait for room. Counts what it sheds ({@code escadrille_overload_shed_total{kind}}) and shows
 * what is in progress ({@code escadrille_overload_in_progress{kind}}).
 */
@Component
class Admission {
    /** The most requests of one kind that wait for room (fewer when the bound is lower). */
    static final int MAX_WAITING = 256;

    private final Map<CallKind, Gate> gates = new EnumMap<>(CallKind.class);
    private final BooleanSupplier heapFull;

    @Autowired
    Admission(EscadrilleProperties properties, MeterRegistry registry, HeapPressure heap) {
        this(properties, registry, heap::high);
        FunctionCounter.builder("escadrille.overload.memory.shed", heap, HeapPressure::shedSeconds).baseUnit("seconds")
                .description("time during which every bounded call was shed because a collection left the heap nearly full")
                .register(registry);
    }

    /** @param heapFull whether the heap is too full to admit anything ({@link HeapPressure}) */
    Admission(EscadrilleProperties properties, MeterRegistry registry, BooleanSupplier heapFull) {
        this(properties, registry, heapFull, () -> System.nanoTime() / 1_000_000_000L);
    }

    /** @param seconds the current time in whole seconds, of any origin, for each kind's {@link ShedPace} */
    Admission(EscadrilleProperties properties, MeterRegistry registry, BooleanSupplier heapFull, LongSupplier seconds) {
        this.heapFull = heapFull;
        var settings = properties.overload();
        double retryAfterMin = settings.retryAfterMin().toSeconds();
        double retryAfterMax = settings.retryAfterMax().toSeconds();
        for (CallKind kind : CallKind.values()) {
            int limit = switch (kind) {
                case REGISTRATION -> settings.registrations();
                case HEARTBEAT -> settings.heartbeats();
                case LEASE -> settings.leases();
                case COMPLETION -> settings.completions();
                case USER_API -> settings.userApi();
            };
            // A completion brings work done, which its pilot would otherwise hold (heartbeating) and send again, and
            // leases are shed while it waits (results first): it waits longer than the calls that start work. At
            // 10,000 pilots asking for work, completions that waited up to a second instead of 100 ms were shed a
            // fifth less often (bench/README.md, "Completions wait a second for room").
            Duration wait = kind == CallKind.COMPLETION ? settings.completionQueueWait() : settings.queueWait();
            var gate = new Gate(limit, wait.toNanos(), new Semaphore(limit, true), new AtomicInteger(), Counter.builder("escadrille.overload.shed")
                    .description("requests answered 503 because too many of their kind were in progress")
                    .tag("kind", kind.label()).register(registry), new ShedPace(seconds, retryAfterMin, retryAfterMax));
            Gauge.builder("escadrille.overload.in.progress", gate, Gate::inProgress)
                    .description("requests in progress, of those the overload bounds count").tag("kind", kind.label())
                    .register(registry);
            gates.put(kind, gate);
        }
    }

    /** Whether a request was admitted, or why not. */
    enum Verdict {
        ADMITTED,
        /** Its kind's bound was full, and stayed full while it waited its turn. */
        BOUND_FULL,
        /** The heap was nearly full after a collection ({@link HeapPressure}). */
        HEAP_FULL,
        /** A lease, while completions waited for room: results are taken before new work is handed out. */
        RESULTS_FIRST
    }

    /**
     * Takes a permit for a request of this kind, waiting for one a short while; anything but
     * {@link Verdict#ADMITTED} is a request shed (and counted). At most as many requests wait as the bound
     * admits, and never more than {@link #MAX_WAITING}: a waiting request holds its buffers as an admitted
     * one does, so a storm that waited whole would fill the heap while it waits.
     */
    Verdict admit(CallKind kind) {
        Gate gate = gates.get(kind);
        // With the heap nearly full after a collection, nothing new is let in until the requests in progress
        // end and a collection frees room: a server out of memory would lose every one of them. Counted in the
        // kind's pace like any shed: each second of every call shed for memory, with none admitted, doubles how
        // long the crowd is told to wait (up to a minute). Told the usual 1–5 s instead, 10,000 pilots came back
        // into a heap still full and the server dispatched a third of its rate (bench/README.md, "The overload
        // measured on a registered pool").
        Verdict verdict;
        if (heapFull.getAsBoolean()) {
            verdict = Verdict.HEAP_FULL;
        } else if (kind == CallKind.LEASE && gates.get(CallKind.COMPLETION).waiting.get() > 0) {
            // Results first: a task leased while the completions before it are turned away only adds to the
            // attempts in flight, and each such completion comes back later to be shed again. At 10,000 pilots
            // the server granted 850–990 leases a second and took 560–815 tasks' results (bench/README.md,
            // "Results before new work").
            verdict = Verdict.RESULTS_FIRST;
        } else {
            verdict = gate.permits.tryAcquire() || awaitPermit(gate) ? Verdict.ADMITTED : Verdict.BOUND_FULL;
        }
        if (verdict == Verdict.ADMITTED) {
            gate.pace.admitted();
        } else {
            gate.shed.increment();
            gate.pace.shed();
        }
        return verdict;
    }

    private boolean awaitPermit(Gate gate) {
        try {
            if (gate.waiting.incrementAndGet() > Math.min(gate.limit, MAX_WAITING)) {
                return false;
            }
            return gate.permits.tryAcquire(gate.waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            gate.waiting.decrementAndGet();
        }
    }

    void leave(CallKind kind) {
        gates.get(kind).permits.release();
    }

    /**
     * The longest {@code Retry-After} to give a request of this kind shed now, in seconds ({@link ShedPace}):
     * longer while many more are shed than admitted, those shed for want of heap included.
     */
    double retryAfterCeiling(CallKind kind) {
        return gates.get(kind).pace.ceiling();
    }

    int limit(CallKind kind) {
        return gates.get(kind).limit;
    }

    int inProgress(CallKind kind) {
        return (int) gates.get(kind).inProgress();
    }

    int waiting(CallKind kind) {
        return gates.get(kind).waiting.get();
    }

    long shed(CallKind kind) {
        return (long) gates.get(kind).shed.count();
    }

    /** @param waitNanos how long a request beyond the bound waits for room */
    private record Gate(int limit, long waitNanos, Semaphore permits, AtomicInteger waiting, Counter shed, ShedPace pace) {
        double inProgress() {
            return limit - permits.availablePermits();
        }
    }
}
