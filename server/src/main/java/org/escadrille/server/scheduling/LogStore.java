package org.escadrille.server.scheduling;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.springframework.stereotype.Component;

/**
 * The stdout and stderr of attempts, under {@code <data-dir>/logs/<attempt>/}. Pilots write chunks at
 * byte offsets, so a chunk sent twice lands in the same place.
 */
@Component
public class LogStore {
    private final Path root;

    LogStore(EscadrilleProperties properties) {
        this.root = properties.dataDir().resolve("logs");
    }

    void write(String attemptId, LogStream stream, long offset, InputStream content) throws IOException {
        Path file = file(attemptId, stream);
        Files.createDirectories(file.getParent());
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // A pilot sends its chunks in order (again from the same offset after a failure): a gap is a
            // mistake, and an offset near 2^63 was a 500 from the file system.
            if (offset > channel.size()) {
                throw new InvalidRequestException("Invalid offset", "offset " + offset
                        + " is past the end of the log (" + channel.size() + " bytes): send the log in order");
            }
            long position = offset;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = content.read(buffer)) > 0) {
                position += channel.write(ByteBuffer.wrap(buffer, 0, n), position);
            }
        }
    }

    /** Up to {@code max} bytes of a log from {@code offset}; empty when there is nothing (yet). */
    public byte[] read(String attemptId, LogStream stream, long offset, int max) {
        Path file = file(attemptId, stream);
        if (!Files.isRegularFile(file)) {
            return new byte[0];
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (offset >= size) {
                return new byte[0];
            }
            var buffer = ByteBuffer.allocate((int) Math.min(max, size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // read until full
            }
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String attemptId, LogStream stream) {
        return root.resolve(attemptId).resolve(stream.fileName());
    }

    /** Which of an attempt's two logs. */
    public enum LogStream {
        STDOUT, STDERR;

        String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static LogStream parse(String value) {
            return switch (value == null ? "stdout" : value.toLowerCase(Locale.ROOT)) {
                case "stdout" -> STDOUT;
                case "stderr" -> STDERR;
                default -> throw new InvalidRequestException("Invalid stream",
                        "stream must be stdout or stderr, got " + value);
            };
        }
    }
}
