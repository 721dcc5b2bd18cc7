package org.escadrille.cli.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** No gateway answered: nothing listens at the URL, the connection broke, or the embedded one did not start. */
public final class UnreachableException extends RuntimeException {
    private static final String WHAT_TO_DO = "start it with ./escadrille serve, or use --embedded";

    private UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    public static UnreachableException refused(URI url, Throwable cause) {
        return new UnreachableException("no server at " + url + " (connection refused); " + WHAT_TO_DO, cause);
    }

    public static UnreachableException timedOut(URI url, Duration timeout, Throwable cause) {
        return new UnreachableException("the server at " + url + " did not answer within " + timeout.toSeconds()
                + " s; check that it runs and that --url is right", cause);
    }

    public static UnreachableException broken(URI url, Throwable cause) {
        return new UnreachableException("the connection to " + url + " failed (" + cause + "); " + WHAT_TO_DO,
                cause);
    }

    public static UnreachableException embeddedFailed(Path dataDir, Throwable cause) {
        return new UnreachableException("embedded mode on " + dataDir + ": " + cause.getMessage()
                + "; start a server with ./escadrille serve and use --url", cause);
    }

    public static UnreachableException interrupted(URI url) {
        return new UnreachableException("interrupted while talking to " + url, null);
    }
}
