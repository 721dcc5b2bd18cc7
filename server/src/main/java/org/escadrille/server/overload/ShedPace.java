package org.escadrille.server.overload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How long the shed calls of one kind are asked to stay away: the ceiling of the {@code Retry-After} drawn for
 * each (from {@code retry-after-min}), set second by second from how many were shed per admitted, so that about
 * {@value #TARGET} are shed per admitted while a crowd outnumbers the bound.
 *
 * <p>A crowd told a fixed wait comes back at the rate its size sets, not the server's: 10,000 pilots told 1–5 s
 * sent some 2,300 requests a second to be shed again, each a new connection (Tomcat closes the connection of
 * every {@code 503}), a parsed request and an answer, on a server that admitted a few hundred (issue 18). A
 * ceiling of as many seconds as were shed per admitted still left, at 10,000 pilots on PostgreSQL, some 1,700
 * shed a second for 700 tasks dispatched: a crowd of N waiting on average W seconds returns N / W a second, so
 * a wait that follows the ratio settles where the crowd returns at about √(N × admitted). Here the ceiling is
 * multiplied instead, each second, by (shed per admitted / {@value #TARGET}) to the power 1 / (the mean wait it
 * gives): over one mean wait, by about the factor that brings the returns to the target (Little's law: the crowd
 * is about the returns times the wait), at most doubled or halved in a second. The bound stays full, since a call
 * is shed only when it is, so the server loses no work to the wait; once nothing is shed, the ceiling halves
 * each second back to {@code retry-after-max}.
 */
final class ShedPace {
    /** Calls shed per call admitted that the ceiling aims at while a crowd outnumbers the bound. */
    static final double TARGET = 0.5;
    /** The longest ceiling, in times {@code retry-after-max} (60 s with the default 5 s). */
    static final int MAX_SPREAD = 12;

    private final LongSupplier seconds;
    private final double floor;
    private final double base;
    private final AtomicLong second;
    private final AtomicInteger shed = new AtomicInteger();
    private final AtomicInteger admitted = new AtomicInteger();
    /** The longest wait to draw now, in seconds; written by the thread that rolls a second over. */
    private volatile double ceiling;

    /**
     * @param seconds the current time in whole seconds, of any origin
     * @param floor   the shortest wait drawn ({@code retry-after-min}), in seconds
     * @param base    the ceiling with no crowd ({@code retry-after-max}), in seconds
     */
    ShedPace(LongSupplier seconds, double floor, double base) {
        this.seconds = seconds;
        this.floor = floor;
        this.base = base;
        this.ceiling = base;
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

    /** The longest {@code Retry-After} to draw now, in seconds: from {@code retry-after-max} to {@value #MAX_SPREAD} times it. */
    double ceiling() {
        roll();
        return ceiling;
    }

    /** At a new second, the counts of the one that ended move the ceiling; after a quiet gap, no crowd is left. */
    private void roll() {
        long now = seconds.getAsLong();
        long last = second.get();
        if (now != last && second.compareAndSet(last, now)) {
            int shedThen = shed.getAndSet(0);
            int admittedThen = admitted.getAndSet(0);
            ceiling = now - last == 1 ? next(ceiling, shedThen, admittedThen) : base;
        }
    }

    private double next(double current, int shedThen, int admittedThen) {
        double ratio = (double) shedThen / Math.max(1, admittedThen);
        double meanWait = (floor + current) / 2;
        double factor = ratio == 0 ? 0.5 : Math.pow(ratio / TARGET, 1 / meanWait);
        double moved = current * Math.max(0.5, Math.min(2, factor));
        return Math.max(base, Math.min(MAX_SPREAD * base, moved));
    }
}
