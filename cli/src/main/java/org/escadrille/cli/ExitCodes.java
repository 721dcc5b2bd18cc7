package org.escadrille.cli;

/** The exit codes of {@code escadrille}, the contract with the scripts that call it. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The execution a command waited for failed, was killed, or never initialised. */
    public static final int EXECUTION_FAILED = 1;
    /** Bad usage or bad input: a usage error, a 4xx from the server, a missing local file. */
    public static final int BAD_INPUT = 2;
    /** No server, or a server that failed: nothing the person typed is wrong. */
    public static final int SERVER_PROBLEM = 3;

    private ExitCodes() {
    }
}
