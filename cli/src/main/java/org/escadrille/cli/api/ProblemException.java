package org.escadrille.cli.api;

/** The server answered a call with an error status and (usually) a problem document. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;
    private final String request;

    public ProblemException(Problem problem, String request) {
        super(request + ": " + String.join("; ", problem.lines()));
        this.problem = problem;
        this.request = request;
    }

    public Problem problem() {
        return problem;
    }

    /** The call that failed, e.g. {@code POST http://localhost:8080/api/v1/executions}. */
    public String request() {
        return request;
    }

    /** A 4xx: the request was wrong, so the person can fix it; anything else is the server's fault. */
    public boolean isClientError() {
        return problem.status() >= 400 && problem.status() < 500;
    }
}
