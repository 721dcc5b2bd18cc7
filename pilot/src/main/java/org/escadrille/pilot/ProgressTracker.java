package org.escadrille.pilot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.escadrille.protocol.TaskAssignment.ProgressSpec;

/**
 * Follows how many events a Monte-Carlo tool has done: the first group of a pattern, matched on each
 * new line of its stdout, or on the last line of its progress file. {@link #poll()} runs on the
 * runner's thread; {@link #latest()} may be read from any thread (the heartbeat's).
 *
 * <p>It also keeps the tool's rate, from the times the counts were seen, so that the runner can tell
 * when the line that reaches a stop target is due ({@link #nanosUntil}) and look for it then, rather
 * than up to a sampling interval later: at 100 million events a second, 200 ms are 20 million.
 */
final class ProgressTracker {
    /** A tool that prints megabytes without a newline must not make the pilot hold them. */
    private static final int MAX_LINE = 64 * 1024;
    private static final int LAST_LINE_WINDOW = 4096;
    private static final long NONE = -1;

    private final Pattern pattern;
    private final Path source;
    private final boolean wholeFile;
    private final AtomicLong latest = new AtomicLong(NONE);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long offset;
    private boolean overlong;
    /** The last count seen, when it was (about) written, and the rate in events per nanosecond (0: unknown). */
    private long seenCount = NONE;
    private long seenAtNanos;
    private double ratePerNano;
    private long lastPollNanos = Long.MIN_VALUE;
    /** Progress lines matched since the last poll. */
    private int matchedLines;

    private ProgressTracker(Pattern pattern, Path source, boolean wholeFile) {
        this.pattern = pattern;
        this.source = source;
        this.wholeFile = wholeFile;
    }

    /** Follows nothing: {@link #latest()} stays -1. */
    static ProgressTracker none() {
        return new ProgressTracker(null, null, false);
    }

    /** Whether it follows a tool's progress (a Monte-Carlo task, which may be told to stop). */
    boolean follows() {
        return pattern != null;
    }

    /**
     * @throws java.util.regex.PatternSyntaxException when the pattern is not a Java regular expression
     */
    static ProgressTracker of(ProgressSpec spec, WorkDirectory workDir) {
        Pattern pattern = Pattern.compile(spec.pattern());
        return spec.file() == null
                ? new ProgressTracker(pattern, workDir.stdout(), false)
                : new ProgressTracker(pattern, workDir.resolve(spec.file()), true);
    }

    /** Events done so far, or -1 when none was reported yet (or the task reports none). */
    long latest() {
        return latest.get();
    }

    /** Reads what the tool wrote since the last poll. */
    void poll() {
        poll(System.nanoTime());
    }

    /** Reads what the tool wrote since the last poll, which was done at {@code nowNanos} ({@link System#nanoTime()}). */
    void poll(long nowNanos) {
        if (pattern == null || !Files.isRegularFile(source)) {
            return;
        }
        try {
            if (wholeFile) {
                match(lastLine());
            } else {
                readNewLines();
            }
        } catch (IOException e) {
            // The tool may be rewriting its file: the next poll will see it whole.
        }
        observe(nowNanos);
    }

    /**
     * The events the tool has done by {@code nowNanos}, as its last count and its rate tell: the last
     * count itself while the rate is unknown; -1 when none was reported yet.
     */
    long projected(long nowNanos) {
        if (seenCount < 0 || ratePerNano <= 0) {
            return seenCount;
        }
        return seenCount + (long) (ratePerNano * Math.max(0, nowNanos - seenAtNanos));
    }

    /** Nanoseconds from {@code nowNanos} until the tool should reach {@code events}; {@link Long#MAX_VALUE} if unknown. */
    long nanosUntil(long events, long nowNanos) {
        long projected = projected(nowNanos);
        if (projected >= events) {
            return 0;
        }
        if (ratePerNano <= 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil((events - projected) / ratePerNano);
    }

    private void observe(long nowNanos) {
        long count = latest.get();
        long previousPoll = lastPollNanos;
        int lines = matchedLines;
        matchedLines = 0;
        lastPollNanos = nowNanos;
        if (count < 0 || count == seenCount) {
            return;
        }
        // When was the last count written? k lines since the previous poll, spread over the time since,
        // put the last about 1/(2k) of it ago. A tool that writes more often than the pilot looks wrote
        // it just now. Too early a guess would stop a task short of its share (worse than past it): a
        // progress file's last line, whose history is unknown, is taken as just written.
        long writtenAt = previousPoll == Long.MIN_VALUE || wholeFile ? nowNanos
                : nowNanos - (nowNanos - previousPoll) / (2L * Math.max(1, lines));
        if (seenCount >= 0 && count > seenCount && writtenAt > seenAtNanos) {
            double rate = (double) (count - seenCount) / (writtenAt - seenAtNanos);
            ratePerNano = ratePerNano <= 0 ? rate : (ratePerNano + rate) / 2;
        }
        seenCount = count;
        seenAtNanos = writtenAt;
    }

    /** Polls a last time and takes an unterminated last line into account. */
    void finish() {
        poll();
        if (!wholeFile && line.size() > 0 && !overlong) {
            match(line.toString(StandardCharsets.UTF_8));
        }
        line.reset();
    }

    private void readNewLines() throws IOException {
        try (var file = new RandomAccessFile(source.toFile(), "r")) {
            file.seek(offset);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = file.read(buffer)) > 0) {
                offset += n;
                for (int i = 0; i < n; i++) {
                    accept(buffer[i]);
                }
            }
        }
    }

    private void accept(byte b) {
        if (b == '\n') {
            if (!overlong) {
                match(line.toString(StandardCharsets.UTF_8));
            }
            line.reset();
            overlong = false;
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        } else {
            overlong = true;
        }
    }

    private String lastLine() throws IOException {
        try (var file = new RandomAccessFile(source.toFile(), "r")) {
            long length = file.length();
            int window = (int) Math.min(length, LAST_LINE_WINDOW);
            byte[] tail = new byte[window];
            file.seek(length - window);
            file.readFully(tail);
            String text = new String(tail, StandardCharsets.UTF_8).stripTrailing();
            return text.substring(text.lastIndexOf('\n') + 1);
        }
    }

    private void match(String text) {
        var matcher = pattern.matcher(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        if (matcher.find() && matcher.groupCount() >= 1 && matcher.group(1) != null) {
            try {
                latest.set(Long.parseLong(matcher.group(1).strip()));
                matchedLines++;
            } catch (NumberFormatException ignored) {
                // A group that is not a count is no progress.
            }
        }
    }
}
