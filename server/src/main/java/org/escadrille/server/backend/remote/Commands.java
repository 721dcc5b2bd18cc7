package org.escadrille.server.backend.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs commands and moves files where an engine's tools are: this machine or a login node. A command is a
 * list of arguments, never a shell line, so that no setting can smuggle in a second command.
 */
public interface Commands extends AutoCloseable {

    /**
     * Runs a command and waits for it, at most {@code timeout}.
     *
     * @throws IOException when it cannot be started or did not finish in time (not when it fails: see the result)
     */
    CommandResult run(List<String> command, Duration timeout) throws IOException;

    /** Writes a file, replacing it, with the given POSIX permissions (e.g. {@code 0600}) set before its content. */
    void write(String path, byte[] content, int mode) throws IOException;

    /** Copies a file of this machine to {@code path}, replacing it only once the copy is complete. */
    void copy(Path local, String path) throws IOException;

    /** The last {@code maxBytes} of a file, or empty when there is no such file. */
    Optional<String> tail(String path, int maxBytes) throws IOException;

    /** Where the commands run, for messages: {@code this machine}, {@code user@host:port}. */
    String where();

    /** Releases the connection, if any. */
    @Override
    default void close() {
    }
}
