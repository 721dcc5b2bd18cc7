package org.escadrille.pilot;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record, {@code 2026-11-25 16:45:01.123 INFO message}, then the stack trace of a
 * thrown exception: the layout the pilot gave {@link java.util.logging.SimpleFormatter}, without
 * its cost per line (it walks the stack of every record to name the caller, which the line never
 * shows, and parses its format string each time). A pilot of tiny tasks logs two lines per task.
 */
public final class PilotLogFormatter extends Formatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
        var line = new StringBuilder(160);
        TIME.formatTo(record.getInstant(), line);
        line.append(' ').append(record.getLevel().getLocalizedName()).append(' ').append(formatMessage(record));
        if (record.getThrown() != null) {
            var trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
