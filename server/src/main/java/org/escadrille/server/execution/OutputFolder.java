package org.escadrille.server.execution;

import java.time.LocalDate;
import org.escadrille.server.catalog.Application;

/**
 * Where a new execution's outputs go: {@code executions/<day> <name> <short id>} (or under another folder
 * the launch names, as CARMIN's {@code resultsLocation} does), so that a person
 * finds a run's folder by what they called it and when. The name is the execution's (else its
 * application's), cut to {@value #NAME_CHARS} characters and stripped of what would be awkward in a
 * path or a shell (separators, quotes, wildcards). The six last characters of the id (random,
 * or counting up within a millisecond: see {@link org.escadrille.server.Ids}) keep two runs of the
 * same name on the same day apart. Executions launched before this kept {@code executions/<id>}.
 */
final class OutputFolder {
    static final int NAME_CHARS = 60;
    static final int ID_CHARS = 6;
    static final String DEFAULT_PARENT = "executions";

    private OutputFolder() {
    }

    static String of(LaunchRequest request, Application application, String id, LocalDate day) {
        return of(DEFAULT_PARENT, request, application, id, day);
    }

    /** As {@link #of(LaunchRequest, Application, String, LocalDate)}, under another folder of the owner's space. */
    static String of(String parent, LaunchRequest request, Application application, String id, LocalDate day) {
        String name = request.name() == null || request.name().isBlank() ? application.name() : request.name();
        return (parent.isEmpty() ? "" : parent + "/") + day + " " + sanitised(name) + " " + id.substring(Math.max(0, id.length() - ID_CHARS));
    }

    /** Letters and digits of any script, spaces and {@code - _ . , + ( )}; anything else becomes a dash. */
    static String sanitised(String name) {
        var kept = new StringBuilder();
        name.strip().codePoints().limit(NAME_CHARS).forEach(c -> kept.appendCodePoint(
                Character.isLetterOrDigit(c) || "-_.,+() ".indexOf(c) >= 0 ? c : Character.isWhitespace(c) ? ' ' : '-'));
        String clean = kept.toString().replaceAll(" {2,}", " ").replaceAll("\\.{2,}", ".").strip();
        return clean.isEmpty() ? "execution" : clean;
    }
}
