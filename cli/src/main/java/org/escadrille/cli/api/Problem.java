package org.escadrille.cli.api;

import java.util.ArrayList;
import java.util.List;

/** An RFC 9457 problem document: what went wrong, what to do, and each field to fix. */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One thing to fix in the request, e.g. {@code inputs.events: must be a number}. */
    public record FieldError(String field, String message) {
    }

    /** The lines a person reads: the detail (or the title), then one indented line per field error. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(headline());
        for (FieldError error : errors) {
            lines.add(error.field() == null || error.field().isBlank()
                    ? "  " + error.message()
                    : "  " + error.field() + ": " + error.message());
        }
        return lines;
    }

    private String headline() {
        if (detail != null && !detail.isBlank()) {
            return detail;
        }
        if (title != null && !title.isBlank()) {
            return title;
        }
        return "the server answered HTTP " + status;
    }
}
