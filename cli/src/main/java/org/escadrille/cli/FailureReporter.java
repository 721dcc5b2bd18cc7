package org.escadrille.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Prints a failed command's {@link FailureReport} on stderr and returns its exit code. */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {
    private final boolean debug;

    /** With {@code debug}, unexpected failures also print their stack trace (ESCADRILLE_DEBUG). */
    FailureReporter(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine,
            CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        FailureReport report = FailureReport.of(failure);
        report.lines().forEach(err::println);
        if (debug) {
            failure.printStackTrace(err);
        }
        err.flush();
        return report.exitCode();
    }
}
