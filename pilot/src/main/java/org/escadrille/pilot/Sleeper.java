package org.escadrille.pilot;

/** Waits: {@link Thread#sleep(long)} in the pilot, a recorder in tests (waits that take no time). */
@FunctionalInterface
interface Sleeper {
    Sleeper SYSTEM = Thread::sleep;

    void sleep(long ms) throws InterruptedException;
}
