package org.escadrille.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU time goes in a Java Flight Recording: the methods on top of the sampled stacks
 * (self time), the Escadrille methods on them (inclusive), the libraries (inclusive), and the locks
 * threads waited to enter. The same numbers as {@code jfr print --events jdk.ExecutionSample}, counted.
 */
final class JfrProfile {
    /** Library groups by package prefix, in the order they are tried. */
    private static final List<String[]> GROUPS = List.of(
            new String[] {"org.escadrille.", "Escadrille"}, new String[] {"org.h2.", "H2 database"},
            new String[] {"com.zaxxer.hikari.", "HikariCP"}, new String[] {"org.flywaydb.", "Flyway"},
            new String[] {"tools.jackson.", "Jackson"}, new String[] {"com.fasterxml.jackson.", "Jackson"},
            new String[] {"org.springframework.security.", "Spring Security"},
            new String[] {"org.springframework.jdbc.", "Spring JDBC"}, new String[] {"org.springframework.", "Spring (other)"},
            new String[] {"org.apache.catalina.", "Tomcat"}, new String[] {"org.apache.coyote.", "Tomcat"},
            new String[] {"org.apache.tomcat.", "Tomcat"}, new String[] {"ch.qos.logback.", "Logback"},
            new String[] {"io.micrometer.", "Micrometer"}, new String[] {"java.util.regex.", "JDK regex"},
            new String[] {"java.net.http.", "JDK HTTP client"}, new String[] {"jdk.internal.net.http.", "JDK HTTP client"},
            new String[] {"java.lang.ProcessBuilder", "JDK process"}, new String[] {"java.lang.ProcessImpl", "JDK process"},
            new String[] {"java.lang.ProcessHandleImpl", "JDK process"},
            new String[] {"sun.nio.", "JDK I/O"}, new String[] {"java.nio.", "JDK I/O"}, new String[] {"java.io.", "JDK I/O"});

    /** A method or group and its share of the samples. */
    record Hot(String name, long count, double percent) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%5.1f%%  %6d  %s", percent, count, name);
        }
    }

    /** The tallies of one recording. */
    record Profile(long samples, List<Hot> self, List<Hot> escadrilleInclusive, List<Hot> escadrilleNearest,
                   List<Hot> groups, List<Hot> groupsSelf, List<Hot> contendedLocks, Duration gcPauses) {

        String format(String title, int top) {
            var out = new StringBuilder(title).append(": ").append(samples).append(" CPU samples (jdk.ExecutionSample)")
                    .append(", GC pauses ").append(gcPauses.toMillis()).append(" ms\n");
            section(out, "top methods, self (top of stack)", self, top);
            section(out, "Escadrille methods, inclusive (on the stack)", escadrilleInclusive, top);
            section(out, "nearest Escadrille frame to the top (who asked for the work)", escadrilleNearest, top);
            section(out, "libraries, inclusive (a wrapper such as a filter chain holds all it calls)", groups, top);
            section(out, "libraries, self (the top frame's library; JDK and others: the nearest library below it)", groupsSelf, top);
            section(out, "contended locks (jdk.JavaMonitorEnter + lock parks, ms waited, by nearest Escadrille frame)",
                    contendedLocks, top);
            return out.toString();
        }

        private static void section(StringBuilder out, String name, List<Hot> hots, int top) {
            out.append("  ").append(name).append(":\n");
            hots.stream().limit(top).forEach(h -> out.append("    ").append(h).append('\n'));
        }
    }

    private JfrProfile() {
    }

    static Profile analyse(Path recording) throws IOException {
        long samples = 0;
        var self = new HashMap<String, Long>();
        var inclusive = new HashMap<String, Long>();
        var nearest = new HashMap<String, Long>();
        var groups = new HashMap<String, Long>();
        var groupsSelf = new HashMap<String, Long>();
        var locks = new HashMap<String, Long>();
        long gcNanos = 0;
        try (var file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    // The pauses, not the event's duration: a G1 old collection lasts its whole concurrent cycle.
                    gcNanos += event.getDuration("sumOfPauses").toNanos();
                    continue;
                }
                boolean lockWait = type.equals("jdk.JavaMonitorEnter") || type.equals("jdk.ThreadPark")
                        && event.getClass("parkedClass") != null
                        && event.getClass("parkedClass").getName().startsWith("java.util.concurrent.locks.Reentrant");
                if (lockWait && event.getStackTrace() != null) {
                    String site = nearestEscadrille(event.getStackTrace().getFrames());
                    String lock = type.equals("jdk.JavaMonitorEnter") ? event.getClass("monitorClass").getName()
                            : event.getClass("parkedClass").getName();
                    locks.merge(lock + " at " + site, event.getDuration().toMillis(), Long::sum);
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(frames.get(0)), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                Set<String> seenGroups = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    String method = name(frame);
                    if (method.startsWith("org.escadrille.") && seen.add(method)) {
                        inclusive.merge(method, 1L, Long::sum);
                    }
                    String group = group(method);
                    if (group != null && seenGroups.add(group)) {
                        groups.merge(group, 1L, Long::sum);
                    }
                }
                nearest.merge(nearestEscadrille(frames), 1L, Long::sum);
                groupsSelf.merge(frames.stream().map(f -> group(name(f))).filter(g -> g != null && !g.startsWith("JDK"))
                        .findFirst().map(g -> group(name(frames.get(0))) != null ? group(name(frames.get(0))) : g + " (via the JDK)")
                        .orElse("JDK only"), 1L, Long::sum);
            }
        }
        long total = Math.max(1, samples);
        return new Profile(samples, ranked(self, total), ranked(inclusive, total), ranked(nearest, total),
                ranked(groups, total), ranked(groupsSelf, total), ranked(locks, Math.max(1, locks.values().stream().mapToLong(Long::longValue).sum())),
                Duration.ofNanos(gcNanos));
    }

    /** The Escadrille method nearest the top; else the nearest method outside the JDK, in brackets. */
    private static String nearestEscadrille(List<RecordedFrame> frames) {
        return frames.stream().map(JfrProfile::name).filter(n -> n.startsWith("org.escadrille.")).findFirst()
                .orElseGet(() -> "(no Escadrille frame; " + frames.stream().map(JfrProfile::name)
                        .filter(n -> !n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun."))
                        .findFirst().orElse("JDK only") + ")");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String group(String method) {
        for (String[] group : GROUPS) {
            if (method.startsWith(group[0])) {
                return group[1];
            }
        }
        return null;
    }

    private static List<Hot> ranked(Map<String, Long> counts, long total) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> new Hot(e.getKey(), e.getValue(), 100.0 * e.getValue() / total)).toList();
    }
}
