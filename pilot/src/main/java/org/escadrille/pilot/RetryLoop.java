package org.escadrille.pilot;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Repeats a request while the server is unreachable, with {@link Backoff}, for as long as its work
 * still matters; once it does not (the attempt was dropped, the pilot is stopping) it gives up with
 * {@link AttemptGoneException}.
 */
final class RetryLoop {
    private final BooleanSupplier stillWanted;

    RetryLoop(BooleanSupplier stillWanted) {
        this.stillWanted = stillWanted;
    }

    /** A request that may also fail on the pilot's side (its disk). */
    @FunctionalInterface
    interface Request<T> {
        T send() throws IOException;
    }

    <T> T call(String what, Request<T> request) throws IOException {
        var backoff = Backoff.standard();
        while (true) {
            if (!stillWanted.getAsBoolean()) {
                throw new AttemptGoneException(what + ": no longer wanted");
            }
            try {
                return request.send();
            } catch (ServerUnreachableException e) {
                try {
                    Thread.sleep(backoff.nextDelayMs());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AttemptGoneException(what + ": interrupted");
                }
            }
        }
    }

    /** For requests that touch no local file. */
    <T> T callServer(String what, Supplier<T> request) {
        try {
            return call(what, request::get);
        } catch (IOException e) {
            throw new IllegalStateException("a server request cannot fail on the pilot's disk", e);
        }
    }
}
