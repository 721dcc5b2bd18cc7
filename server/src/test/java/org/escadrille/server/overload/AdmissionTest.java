package org.escadrille.server.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.escadrille.server.EscadrilleProperties;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final AtomicBoolean heapFull = new AtomicBoolean();

    /** The whole seconds each kind's {@link ShedPace} reads. */
    private final AtomicLong second = new AtomicLong();

    private Admission admission(int bound, Duration queueWait) {
        return new Admission(properties(bound, queueWait), registry, heapFull::get, second::get);
    }

    /** The defaults but for the overload settings: every kind's bound, and how long a request of any kind waits for room. */
    static EscadrilleProperties properties(int bound, Duration queueWait) {
        return properties(bound, queueWait, queueWait);
    }

    /** The same, a completion waiting {@code completionQueueWait} for room and the other calls {@code queueWait}. */
    static EscadrilleProperties properties(int bound, Duration queueWait, Duration completionQueueWait) {
        var overload = new EscadrilleProperties.Overload(bound, bound, bound, bound, bound, queueWait, completionQueueWait, null, null);
        return new EscadrilleProperties(Path.of("target"), null, null, null, null, null, null, null, null, null, null, overload, null, null, null, null, null, null, null, null);
    }

    private static boolean enter(Admission admission, CallKind kind) {
        return admission.admit(kind) == Admission.Verdict.ADMITTED;
    }

    @Test
    void withTheHeapNearlyFullAfterACollectionEveryKindIsShedUntilItFreesRoom() {
        var admission = admission(10, Duration.ofMillis(10));
        assertThat(enter(admission, CallKind.LEASE)).isTrue();

        heapFull.set(true);

        for (CallKind kind : CallKind.values()) {
            assertThat(enter(admission, kind)).as(kind.label()).isFalse();
        }
        assertThat(admission.inProgress(CallKind.LEASE)).as("what was admitted goes on").isEqualTo(1);
        heapFull.set(false);
        assertThat(enter(admission, CallKind.LEASE)).isTrue();
    }

    @Test
    void callsShedForWantOfHeapSpreadTheirKindsReturnsAsAnyShed() {
        var admission = admission(1, Duration.ZERO);
        assertThat(enter(admission, CallKind.COMPLETION)).isTrue();

        // A second of every call shed for memory: nothing admitted, many shed.
        heapFull.set(true);
        for (int i = 0; i < 50; i++) {
            assertThat(enter(admission, CallKind.REGISTRATION)).isFalse();
        }
        // Beside it, a crowd larger than its bound: one admitted, five shed because the bound is full.
        heapFull.set(false);
        for (int i = 0; i < 5; i++) {
            assertThat(enter(admission, CallKind.COMPLETION)).isFalse();
        }
        second.incrementAndGet();

        assertThat(admission.shed(CallKind.REGISTRATION)).isEqualTo(50);
        // The default retry-after-max is 5 s: a second that shed many more than it admitted doubles it.
        assertThat(admission.retryAfterCeiling(CallKind.REGISTRATION)).as("shed for want of heap").isEqualTo(10.0);
        assertThat(admission.retryAfterCeiling(CallKind.COMPLETION)).as("shed at its bound").isEqualTo(10.0);
        assertThat(admission.retryAfterCeiling(CallKind.HEARTBEAT)).as("nothing shed").isEqualTo(5.0);
    }

    @Test
    void theHeapIsReadAsTheLastCollectionLeftIt() {
        try (var pressure = new HeapPressure()) {
            System.gc();

            await().atMost(Duration.ofSeconds(10)).until(() -> pressure.usedAfterGc() > 0);
            assertThat(pressure.usedAfterGc()).isLessThan(Runtime.getRuntime().maxMemory());
            assertThat(pressure.high()).as("a test JVM's heap after a full collection").isFalse();
        }
    }

    @Test
    void aPauseInsideAConcurrentCycleIsNotReadAsWhatACollectionLeft() {
        long nearlyAll = (long) (Runtime.getRuntime().maxMemory() * 0.9);
        try (var pressure = new HeapPressure()) {
            pressure.collected("G1 Concurrent GC", "end of concurrent GC pause", nearlyAll);
            pressure.collected("ZGC Major Pauses", "end of GC pause", nearlyAll);
            assertThat(pressure.high()).as("remark and cleanup move nothing").isFalse();

            pressure.collected("G1 Young Generation", "end of minor GC", nearlyAll);
            assertThat(pressure.high()).as("a young collection that left the heap nearly full").isTrue();
            assertThat(pressure.usedAfterGc()).isEqualTo(nearlyAll);
        }
    }

    @Test
    void theTimeShedForMemoryIsCountedOnceWhereItsSecondsOverlap() {
        long nearlyAll = (long) (Runtime.getRuntime().maxMemory() * 0.9);
        var nanos = new AtomicLong(1_000_000_000_000L);
        try (var pressure = new HeapPressure(nanos::get)) {
            pressure.collected("G1 Young Generation", "end of minor GC", nearlyAll);
            assertThat(pressure.shedSeconds()).as("a period that has just begun").isZero();
            advance(nanos, 400);
            assertThat(pressure.shedSeconds()).as("only what has passed of it").isEqualTo(0.4);

            advance(nanos, 100);
            pressure.collected("G1 Young Generation", "end of minor GC", nearlyAll);
            advance(nanos, 700);
            assertThat(pressure.high()).as("the second collection held the shedding on").isTrue();
            assertThat(pressure.shedSeconds()).as("the overlap counted once").isEqualTo(1.2);

            advance(nanos, 1_800);
            pressure.collected("G1 Young Generation", "end of minor GC", nearlyAll / 10);
            assertThat(pressure.high()).isFalse();
            assertThat(pressure.shedSeconds()).as("ended a second after the last full heap").isEqualTo(1.5);

            pressure.collected("G1 Old Generation", "end of major GC", nearlyAll);
            advance(nanos, 2_000);
            assertThat(pressure.shedSeconds()).as("a period apart adds its whole second").isEqualTo(2.5);
        }
    }

    private static void advance(AtomicLong nanos, long millis) {
        nanos.addAndGet(millis * 1_000_000);
    }

    @Test
    void requestsBeyondTheBoundAreShedAfterTheWaitAndCountedByKind() {
        var admission = admission(2, Duration.ofMillis(10));

        assertThat(enter(admission, CallKind.REGISTRATION)).isTrue();
        assertThat(enter(admission, CallKind.REGISTRATION)).isTrue();
        assertThat(enter(admission, CallKind.REGISTRATION)).isFalse();

        assertThat(admission.inProgress(CallKind.REGISTRATION)).isEqualTo(2);
        assertThat(registry.get("escadrille.overload.shed").tag("kind", "registration").counter().count()).isEqualTo(1);
        // Each kind has its own bound.
        assertThat(enter(admission, CallKind.HEARTBEAT)).isTrue();
        assertThat(registry.get("escadrille.overload.in.progress").tag("kind", "registration").gauge().value()).isEqualTo(2);
    }

    @Test
    void aRequestThatWaitsIsAdmittedWhenAnotherEnds() {
        var admission = admission(1, Duration.ofSeconds(30));
        assertThat(enter(admission, CallKind.LEASE)).isTrue();

        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = CompletableFuture.supplyAsync(() -> enter(admission, CallKind.LEASE), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting(CallKind.LEASE) == 1);
            admission.leave(CallKind.LEASE);

            assertThat(waiting.join()).isTrue();
        }
        assertThat(admission.shed(CallKind.LEASE)).isZero();
    }

    @Test
    void aCompletionWaitsForRoomLongerThanTheCallsThatStartWork() {
        var admission = new Admission(properties(1, Duration.ZERO, Duration.ofMinutes(10)), registry, heapFull::get, second::get);
        assertThat(enter(admission, CallKind.LEASE)).isTrue();
        assertThat(enter(admission, CallKind.COMPLETION)).isTrue();

        // Were the lease to wait as long as a completion, the test would not end.
        assertThat(admission.admit(CallKind.LEASE)).isEqualTo(Admission.Verdict.BOUND_FULL);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = CompletableFuture.supplyAsync(() -> enter(admission, CallKind.COMPLETION), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting(CallKind.COMPLETION) == 1);
            admission.leave(CallKind.COMPLETION);

            assertThat(waiting.join()).isTrue();
        }
        assertThat(admission.shed(CallKind.COMPLETION)).isZero();
    }

    @Test
    void noMoreRequestsWaitThanTheBoundAdmitsTheNextIsShedAtOnce() {
        var admission = admission(1, Duration.ofMinutes(10));
        assertThat(enter(admission, CallKind.COMPLETION)).isTrue();

        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = CompletableFuture.supplyAsync(() -> enter(admission, CallKind.COMPLETION), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting(CallKind.COMPLETION) == 1);

            // Were it to wait, it would wait ten minutes: the test would not end.
            assertThat(enter(admission, CallKind.COMPLETION)).isFalse();

            admission.leave(CallKind.COMPLETION);
            assertThat(waiting.join()).isTrue();
        }
        assertThat(admission.shed(CallKind.COMPLETION)).isEqualTo(1);
    }

    @Test
    void aLeaseIsShedWhileCompletionsWaitForRoomAndAdmittedOnceTheyAreTaken() {
        var admission = admission(1, Duration.ofMinutes(10));
        assertThat(enter(admission, CallKind.COMPLETION)).isTrue();
        assertThat(admission.admit(CallKind.LEASE)).as("the completions' bound full, none waiting")
                .isEqualTo(Admission.Verdict.ADMITTED);
        admission.leave(CallKind.LEASE);

        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = CompletableFuture.supplyAsync(() -> enter(admission, CallKind.COMPLETION), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting(CallKind.COMPLETION) == 1);

            assertThat(admission.admit(CallKind.LEASE)).isEqualTo(Admission.Verdict.RESULTS_FIRST);
            assertThat(admission.inProgress(CallKind.LEASE)).as("its bound had room").isZero();
            assertThat(admission.admit(CallKind.HEARTBEAT)).as("only new work waits").isEqualTo(Admission.Verdict.ADMITTED);

            admission.leave(CallKind.COMPLETION);
            assertThat(waiting.join()).isTrue();
        }
        assertThat(admission.admit(CallKind.LEASE)).isEqualTo(Admission.Verdict.ADMITTED);
        assertThat(admission.shed(CallKind.LEASE)).isEqualTo(1);
    }
}
