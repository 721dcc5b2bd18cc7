package org.escadrille.server.backend.remote;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Commands run on this machine, as child processes (the server runs on the cluster's login node). */
public final class LocalCommands implements Commands {

    @Override
    public CommandResult run(List<String> command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // Both streams drain while the command runs, so that a chatty one cannot block it.
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not answer within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(process.exitValue(), stdout.get(), stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.getFirst(), e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + command.getFirst(), e.getCause());
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    @Override
    public void write(String path, byte[] content, int mode) throws IOException {
        Path file = Path.of(path);
        Files.deleteIfExists(file);
        // Created with its permissions, so that its content is never readable by others, even for a moment.
        try (var channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(permissions(mode)))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        // The umask may have removed some of the bits asked for.
        Files.setPosixFilePermissions(file, permissions(mode));
    }

    @Override
    public void copy(Path local, String path) throws IOException {
        Path target = Path.of(path);
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        Files.copy(local, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Optional<String> tail(String path, int maxBytes) throws IOException {
        try (var channel = Files.newByteChannel(Path.of(path))) {
            long size = channel.size();
            channel.position(Math.max(0, size - maxBytes));
            var buffer = ByteBuffer.allocate((int) Math.min(size, maxBytes));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // reads until the end of the file
            }
            return Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public String where() {
        return "this machine";
    }

    static Set<PosixFilePermission> permissions(int mode) {
        var permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }
}
