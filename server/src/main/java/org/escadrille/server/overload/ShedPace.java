package org.escadrille.server.overload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many requests of one kind were shed against how many were admitted, second by second, and so how
 * much later than usual the shed ones should come back. A crowd shed with a fixed {@code Retry-After}
 * comes back at the same rate whatever its size: 10,000 pilots told 1–5 s sent some 2,300 requests a
 * second to be shed again, each a new connection, a parsed request and a 503, on a server that could admit
 * a few hundred (issue 18). Spreading the returns of a second's sheds over as many seconds as there were
 * shed per admitted brings the returning crowd back at about the rate the server admits.
 */
final class ShedPace {
    private final LongSupplier seconds;
    private final AtomicLong second;
    private final AtomicInteger shed = new AtomicInteger();
    private final AtomicInteger admitted = new AtomicInteger();
    /** Shed per admitted in the last whole second (at least 1). */
    private volatile double ratio = 1;

    /** @param seconds the current time in whole seconds, of any origin */
    ShedPace(LongSupplier seconds) {
        this.seconds = seconds;
        this.second = new AtomicLong(seconds.getAsLong());
    }

    void admitted() {
        roll();
        admitted.incrementAndGet();
    }

    void shed() {
        roll();
        shed.incrementAndGet();
    }

    /** Requests shed per admitted in the last whole second: at least 1; the seconds to spread those shed now over. */
    double shedPerAdmitted() {
        roll();
        return ratio;
    }

    /** At a new second, the counts of the one that ended give the ratio; after a quiet gap, none is left. */
    private void roll() {
        long now = seconds.getAsLong();
        long last = second.get();
        if (now != last && second.compareAndSet(last, now)) {
            int shedThen = shed.getAndSet(0);
            int admittedThen = admitted.getAndSet(0);
            ratio = now - last == 1 ? Math.max(1, (double) shedThen / Math.max(1, admittedThen)) : 1;
        }
    }
}
