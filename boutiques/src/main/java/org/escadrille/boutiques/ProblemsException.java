package org.escadrille.boutiques;

import java.util.List;
import java.util.stream.Collectors;

/** Base of the exceptions that carry every problem found at once, never just the first. */
public abstract class ProblemsException extends RuntimeException {

    private final List<Problem> problems;

    protected ProblemsException(String summary, List<Problem> problems) {
        super(summary + ":\n" + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an exception about problems needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order they were found. */
    public List<Problem> problems() {
        return problems;
    }
}
