package org.escadrille.cli.terminal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.escadrille.cli.api.Execution;
import org.escadrille.cli.api.TaskCounts;

/** The text of progress lines, as pure functions of what they show; {@link ProgressBar} decides when to draw them. */
public final class ProgressLines {
    static final int BAR_WIDTH = 20;

    private ProgressLines() {
    }

    /** {@code [#####---------------]}; ASCII so that it survives any terminal encoding. */
    public static String bar(double fraction, int width) {
        double clamped = Double.isNaN(fraction) ? 0 : Math.min(1, Math.max(0, fraction));
        int filled = (int) Math.floor(clamped * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /** E.g. {@code Running  [########------------]  4/10 tasks (2 running, 1 failed)  12.4 s}. */
    public static String execution(Execution execution, Duration elapsed) {
        TaskCounts tasks = execution.tasks();
        double fraction = tasks.total() == 0 ? 0 : (double) tasks.done() / tasks.total();
        List<String> details = new ArrayList<>();
        if (tasks.running() > 0) {
            details.add(tasks.running() + " running");
        }
        if (tasks.queued() > 0) {
            details.add(tasks.queued() + " queued");
        }
        if (tasks.failed() > 0) {
            details.add(tasks.failed() + " failed");
        }
        String counts = tasks.total() == 0
                ? "no tasks yet"
                : tasks.done() + "/" + tasks.total() + (tasks.total() == 1 ? " task" : " tasks");
        String suffix = details.isEmpty() ? "" : " (" + String.join(", ", details) + ")";
        return String.format(Locale.ROOT, "%-12s %s  %s%s  %s", execution.status(), bar(fraction, BAR_WIDTH),
                counts, suffix, HumanUnits.duration(elapsed));
    }

    /** The part of an execution's line worth a new log line when it changes: status and counts, not the clock. */
    public static String executionMilestone(Execution execution) {
        return execution.status() + " " + execution.tasks();
    }

    /** E.g. {@code Uploading    [#####---------------]  1/4 files  12.3 MiB / 48.0 MiB  4.1 MiB/s}. */
    public static String transfer(String verb, int filesDone, int files, long bytesDone, long bytes,
            Duration elapsed) {
        double fraction = bytes == 0 ? (files == 0 ? 1 : (double) filesDone / files) : (double) bytesDone / bytes;
        double seconds = elapsed.toMillis() / 1000.0;
        String rate = seconds < 0.5 ? "" : "  " + HumanUnits.bytes((long) (bytesDone / seconds)) + "/s";
        return String.format(Locale.ROOT, "%-12s %s  %d/%s  %s / %s%s", verb, bar(fraction, BAR_WIDTH), filesDone,
                HumanUnits.count(files, "file"), HumanUnits.bytes(bytesDone), HumanUnits.bytes(bytes), rate);
    }
}
