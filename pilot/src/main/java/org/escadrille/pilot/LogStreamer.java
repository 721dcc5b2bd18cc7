package org.escadrille.pilot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Sends the new bytes of an attempt's stdout and stderr files to the server, each chunk at its byte
 * offset (so that a retry rewrites the same bytes). {@link #tick()} runs about every second while the
 * command runs and gives up quietly until the next tick on any trouble; {@link #flush(RetryLoop)} sends
 * the rest at the end. Both are synchronized: they share the offsets and must not interleave.
 */
final class LogStreamer {
    private static final Logger LOG = Logger.getLogger(LogStreamer.class.getName());
    static final int MAX_CHUNK = 1 << 20;
    /** A tool printing faster than this per second is sent over several ticks. */
    private static final int MAX_PER_TICK = 4 * MAX_CHUNK;

    private final ServerClient client;
    private final String attemptId;
    private final Runnable onAttemptGone;
    private final Stream stdout;
    private final Stream stderr;
    private boolean refused;

    LogStreamer(ServerClient client, String attemptId, WorkDirectory workDir, Runnable onAttemptGone) {
        this.client = client;
        this.attemptId = attemptId;
        this.onAttemptGone = onAttemptGone;
        this.stdout = new Stream("stdout", workDir.stdout());
        this.stderr = new Stream("stderr", workDir.stderr());
    }

    synchronized void tick() {
        try {
            send(stdout, MAX_PER_TICK);
            send(stderr, MAX_PER_TICK);
        } catch (ServerUnreachableException | TokenRejectedException | IOException e) {
            // Best effort while running: the next tick resumes at the same offset, the heartbeat
            // loop deals with a rejected token.
        } catch (AttemptGoneException e) {
            onAttemptGone.run();
        }
    }

    /** Sends everything left, retrying while the server is unreachable. */
    synchronized void flush(RetryLoop retry) throws IOException {
        retry.call("logs", () -> {
            send(stdout, Long.MAX_VALUE);
            send(stderr, Long.MAX_VALUE);
            return null;
        });
    }

    /** The bytes written to the logs so far (for the operator's log line). */
    synchronized long bytesSent() {
        return stdout.offset + stderr.offset;
    }

    private void send(Stream stream, long budget) throws IOException {
        if (refused || !Files.exists(stream.file)) {
            return;
        }
        try (var file = new RandomAccessFile(stream.file.toFile(), "r")) {
            long sent = 0;
            while (sent < budget) {
                long available = file.length() - stream.offset;
                if (available <= 0) {
                    return;
                }
                byte[] chunk = new byte[(int) Math.min(available, MAX_CHUNK)];
                file.seek(stream.offset);
                file.readFully(chunk);
                try {
                    client.appendLog(attemptId, stream.name, stream.offset, chunk, chunk.length);
                } catch (RequestRefusedException e) {
                    // E.g. a log above the server's size limit: the task goes on without its log.
                    refused = true;
                    LOG.warning(() -> attemptId + ": the server refused its log, no more is sent: " + e.getMessage());
                    return;
                }
                stream.offset += chunk.length;
                sent += chunk.length;
            }
        }
    }

    private static final class Stream {
        final String name;
        final Path file;
        long offset;

        Stream(String name, Path file) {
            this.name = name;
            this.file = file;
        }
    }
}
