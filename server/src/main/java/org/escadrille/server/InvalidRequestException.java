package org.escadrille.server;

import java.util.List;

/**
 * A request that cannot be carried out as written (a 400), with every problem found, each naming
 * the field and what to fix.
 */
public class InvalidRequestException extends RuntimeException {
    private final String title;
    private final List<FieldProblem> problems;

    public InvalidRequestException(String title, String detail, List<FieldProblem> problems) {
        super(detail);
        this.title = title;
        this.problems = List.copyOf(problems);
    }

    public InvalidRequestException(String title, String detail) {
        this(title, detail, List.of());
    }

    public String title() {
        return title;
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** One problem: where ({@code inputs.events}, {@code path}) and what is wrong. */
    public record FieldProblem(String field, String message) {
    }
}
