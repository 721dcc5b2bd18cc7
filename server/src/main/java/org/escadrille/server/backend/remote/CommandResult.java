package org.escadrille.server.backend.remote;

/** What a command left: its exit code and its output, as text. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public CommandResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The tool's own words for a failure: its stderr, else its stdout, else its exit code. */
    public String message() {
        if (!stderr.isBlank()) {
            return stderr.strip();
        }
        if (!stdout.isBlank()) {
            return stdout.strip();
        }
        return "exit code " + exitCode;
    }
}
