package org.escadrille.server.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.escadrille.server.chart.StatusWords;
import org.springframework.stereotype.Component;

/**
 * How the pages write sizes, times and durations ({@code ${@formats.size(file.size)}} in a template).
 * Times are written in the server's zone and carry their instant, which the browser rewrites in the
 * reader's zone.
 */
@Component("formats")
class DisplayFormats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final ZoneId zone = ZoneId.systemDefault();
    private final Clock clock;

    DisplayFormats(Clock clock) {
        this.clock = clock;
    }

    /** A status in words ("Queued", "Stopped as planned"); a status it does not know, as it is. */
    public String status(Object status) {
        if (status == null) {
            return "";
        }
        return statusWords(status instanceof Enum<?> e ? e.name() : status.toString());
    }

    static String statusWords(String name) {
        return StatusWords.of(name);
    }

    public String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone));
    }

    public String time(long epochMs) {
        return time(Instant.ofEpochMilli(epochMs));
    }

    public String time(Long epochMs) {
        return epochMs == null ? "" : time(epochMs.longValue());
    }

    /** ISO-8601, for {@code <time datetime>}. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    public String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    public String iso(Long epochMs) {
        return epochMs == null ? "" : iso(epochMs.longValue());
    }

    /** From {@code start} to {@code end}, or to now while it has not ended; empty before it starts. */
    public String duration(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        return seconds(Duration.between(start, end == null ? clock.instant() : end).toMillis() / 1000.0);
    }

    public String seconds(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    public String seconds(Double seconds) {
        return seconds == null ? "" : seconds(seconds.doubleValue());
    }

    public String memoryKb(Long kb) {
        return kb == null ? "" : size(kb * 1024);
    }

    /**
     * An attempt's peak memory. The pilot samples memory every sampling interval, so a task that ends
     * before the first sample reports 0: that is "not measured", not a task that used nothing.
     */
    public String peakMemory(Long kb) {
        return kb == null ? "" : kb <= 0 ? "not measured" : size(kb * 1024);
    }

    /** The first twelve hex digits of a SHA-256: enough to tell files apart at a glance. */
    public String digest(String sha256) {
        return sha256 == null ? "" : sha256.length() <= 12 ? sha256 : sha256.substring(0, 12) + "…";
    }
}
