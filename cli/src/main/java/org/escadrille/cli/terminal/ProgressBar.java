package org.escadrille.cli.terminal;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Draws a progress line on stderr: redrawn in place with {@code \r} on a terminal, and in a log
 * (stderr redirected) one line when the milestone changes or every few seconds, so that CI logs
 * stay short.
 */
public final class ProgressBar {
    static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter err;
    private final boolean interactive;
    private final Clock clock;
    private String lastMilestone;
    private String lastLine;
    private Instant lastDrawn;

    public ProgressBar(PrintWriter err, boolean interactive, Clock clock) {
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
    }

    /** Shows {@code line}; {@code milestone} is the part of it whose change is news (a status, a file name). */
    public void show(String milestone, String line) {
        show(milestone, () -> line);
    }

    /**
     * Shows the line {@code line} makes, made only when it is drawn: a transfer reports every buffer the
     * HTTP client hands over, thousands a second, and formatting each report cost a visible share of the CPU.
     */
    public void show(String milestone, Supplier<String> line) {
        Instant now = clock.instant();
        boolean news = !Objects.equals(milestone, lastMilestone);
        Duration interval = interactive ? REDRAW_INTERVAL : LOG_INTERVAL;
        if (!news && lastDrawn != null && Duration.between(lastDrawn, now).compareTo(interval) < 0) {
            return;
        }
        draw(line.get(), false);
        lastMilestone = milestone;
        lastDrawn = now;
    }

    /** Draws {@code line} as the last one and ends it, so that what follows starts on a new line. */
    public void finish(String line) {
        if (interactive || !line.equals(lastLine)) {
            draw(line, true);
        }
        lastMilestone = null;
        lastLine = null;
        lastDrawn = null;
    }

    private void draw(String line, boolean last) {
        if (interactive) {
            int previous = lastLine == null ? 0 : lastLine.length();
            // Pad with spaces so that a shorter line erases the end of the previous one.
            err.print("\r" + line + " ".repeat(Math.max(0, previous - line.length())) + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
        lastLine = line;
    }
}
