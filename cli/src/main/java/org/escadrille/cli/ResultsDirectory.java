package org.escadrille.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.escadrille.cli.transfer.IntegrityException;

/** Where {@code run} and {@code get} put an execution's outputs: {@code --to DIR}, else {@code ./escadrille-results/<ID>/}. */
final class ResultsDirectory {
    static final String DEFAULT_PARENT = "escadrille-results";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ResultsDirectory() {
    }

    static Path of(Path to, String executionId, CliEnvironment env) {
        if (to != null) {
            return env.resolve(to);
        }
        // The id becomes a directory name: one from a confused server must not climb out of ./escadrille-results.
        if (executionId == null || !SAFE_ID.matcher(executionId).matches() || executionId.contains("..")) {
            throw new IntegrityException("refusing to use the execution id '" + executionId
                    + "' as a directory name; pass --to DIR");
        }
        return env.workingDir().resolve(DEFAULT_PARENT).resolve(executionId);
    }
}
