package org.escadrille.cli.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.escadrille.cli.terminal.ProgressBar;
import org.escadrille.cli.terminal.ProgressLines;

/**
 * Counts the files and bytes of one batch of transfers and draws them, only when the batch is large
 * enough for a bar to be worth the noise.
 * Its methods are synchronized because during an upload the byte count comes from the HTTP client's
 * own thread while the command's thread waits.
 */
final class TransferProgress {
    static final long SHOWN_FROM_BYTES = 1024 * 1024;

    private final ProgressBar bar;
    private final Clock clock;
    private final String verb;
    private final int files;
    private final long bytes;
    private final boolean shown;
    private final Instant start;
    private int filesDone;
    private long bytesDone;

    TransferProgress(ProgressBar bar, Clock clock, String verb, int files, long bytes) {
        this.bar = bar;
        this.clock = clock;
        this.verb = verb;
        this.files = files;
        this.bytes = bytes;
        this.shown = bytes >= SHOWN_FROM_BYTES;
        this.start = clock.instant();
    }

    synchronized void transferred(long count) {
        bytesDone += count;
        draw();
    }

    synchronized void fileDone() {
        filesDone++;
        draw();
    }

    synchronized void finish() {
        if (shown) {
            bar.finish(line());
        }
    }

    private void draw() {
        if (shown) {
            // A new log line per tenth of the way, not per buffer.
            long tenth = bytes == 0 ? 10 : bytesDone * 10 / bytes;
            bar.show(verb + " " + tenth, this::line);
        }
    }

    private String line() {
        return ProgressLines.transfer(verb, filesDone, files, bytesDone, bytes,
                Duration.between(start, clock.instant()));
    }
}
