package org.escadrille.cli;

import java.util.ArrayList;
import java.util.List;
import org.escadrille.cli.api.ProblemException;
import org.escadrille.cli.api.UnreachableException;
import org.escadrille.cli.launch.InvalidArgumentsException;
import org.escadrille.cli.transfer.IntegrityException;
import org.escadrille.cli.transfer.LocalFileException;

/**
 * What a failed command tells the person (a few lines for stderr, never a stack trace for an
 * expected failure) and which exit code it ends with; see {@link ExitCodes}.
 */
public record FailureReport(int exitCode, List<String> lines) {
    public FailureReport {
        lines = List.copyOf(lines);
    }

    public static FailureReport of(Throwable failure) {
        return switch (failure) {
            case ProblemException problem -> ofProblem(problem);
            case UnreachableException unreachable -> single(ExitCodes.SERVER_PROBLEM, unreachable.getMessage());
            case InvalidArgumentsException invalid -> single(ExitCodes.BAD_INPUT, invalid.getMessage());
            case LocalFileException local -> single(ExitCodes.BAD_INPUT, local.getMessage());
            case UsageException usage -> single(ExitCodes.BAD_INPUT, usage.getMessage());
            case IntegrityException integrity -> single(ExitCodes.SERVER_PROBLEM, integrity.getMessage());
            default -> single(ExitCodes.SERVER_PROBLEM, "unexpected error: " + failure
                    + " (set ESCADRILLE_DEBUG=1 to see where)");
        };
    }

    private static FailureReport ofProblem(ProblemException exception) {
        List<String> problemLines = exception.problem().lines();
        List<String> lines = new ArrayList<>();
        lines.add("error: " + problemLines.getFirst());
        lines.addAll(problemLines.subList(1, problemLines.size()));
        int status = exception.problem().status();
        if (status == 401) {
            lines.add("  the API key comes from --api-key, else $ESCADRILLE_API_KEY, else <data-dir>/admin.key");
        }
        if (!exception.isClientError()) {
            if (status >= 500) {
                lines.add("  (HTTP " + status + " from " + exception.request() + "; the server's log says more)");
            }
            return new FailureReport(ExitCodes.SERVER_PROBLEM, lines);
        }
        return new FailureReport(ExitCodes.BAD_INPUT, lines);
    }

    private static FailureReport single(int exitCode, String message) {
        return new FailureReport(exitCode, List.of("error: " + message));
    }
}
