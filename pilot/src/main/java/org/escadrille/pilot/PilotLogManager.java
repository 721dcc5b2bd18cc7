package org.escadrille.pilot;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that it keeps its handlers at shutdown: the JDK closes them from a
 * shutdown hook of its own, concurrently with the pilot's, which would swallow the lines that say
 * how the pilot stopped (attempts dropped, bye). Installed by {@link PilotMain} through
 * {@code java.util.logging.manager}.
 */
public final class PilotLogManager extends LogManager {

    public PilotLogManager() {
        super();
    }

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    private static boolean shuttingDown() {
        try {
            var probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
