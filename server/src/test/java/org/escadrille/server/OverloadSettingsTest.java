package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.escadrille.server.EscadrilleProperties.Overload;
import org.junit.jupiter.api.Test;

/**
 * {@code escadrille.overload.*} defaults: the requests they let in, and those waiting for room, fit in a share
 * of the heap that leaves the rest to connections and the server's own work (issue 18: 10,000 pilots ran a
 * 1 GiB heap out of memory when the bounds together allowed some 10,500 requests).
 */
class OverloadSettingsTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final long REQUEST_BYTES = 64 * 1024;
    /** Admission.MAX_WAITING: at most this many requests of one kind wait for room. */
    private static final int MAX_WAITING = 256;

    @Test
    void fromAGibibyteTheDefaultBoundsAndTheirWaitingRoomsHoldAtMostThreeEighthsOfTheHeap() {
        // Below, the floors (256 completions and heartbeats, 256 waiting of each kind) take more.
        for (long heap : new long[] {GIB, 2 * GIB, 4 * GIB, 16 * GIB}) {
            var bounds = Overload.Bounds.defaults(heap);
            long requests = admittedAndWaiting(bounds.registrations()) + admittedAndWaiting(bounds.heartbeats())
                    + admittedAndWaiting(bounds.leases()) + admittedAndWaiting(bounds.completions())
                    + admittedAndWaiting(bounds.userApi());

            assertThat(requests * REQUEST_BYTES).as("heap %d MiB", heap >> 20).isLessThanOrEqualTo(heap * 3 / 8);
        }
    }

    @Test
    void withAGibibyteCompletionsGetAQuarterOfTheBudgetSoThatSheddingThemDoesNotStarveDispatch() {
        var bounds = Overload.Bounds.defaults(GIB);

        assertThat(bounds.leases()).isEqualTo(2304);
        assertThat(bounds.completions()).isEqualTo(1536);
        assertThat(bounds.heartbeats()).isEqualTo(768);
    }

    @Test
    void boundsLeftAtZeroTakeTheDefaultsOfThisHeap() {
        var settings = new Overload(0, 0, 0, 0, 0, null, null, null, null);
        var bounds = Overload.Bounds.defaults(Runtime.getRuntime().maxMemory());

        assertThat(settings.leases()).isEqualTo(bounds.leases());
        assertThat(settings.completions()).isEqualTo(bounds.completions());
        assertThat(settings.heartbeats()).isEqualTo(bounds.heartbeats());
        assertThat(settings.registrations()).isEqualTo(64);
        assertThat(settings.userApi()).isEqualTo(128);
    }

    @Test
    void completionsWaitASecondForRoomUnlessToldOtherwiseTheOtherCallsATenthOfOne() {
        var overload = new Overload(0, 0, 0, 0, 0, null, null, null, null);

        assertThat(overload.completionQueueWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(overload.queueWait()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void leaseRequestsAdmittedOutnumberTheLongPollsThatMayParkSoThatTheRestAreToldToComeBackNotShed() {
        var overload = new Overload(0, 0, 0, 0, 0, null, null, null, null);
        var longPolls = new EscadrilleProperties.LongPollLimits(0, null, 0);

        assertThat(overload.leases()).isGreaterThan(longPolls.maxParked());
    }

    private static long admittedAndWaiting(int bound) {
        return bound + Math.min(bound, MAX_WAITING);
    }
}
