package org.escadrille.pilot;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link NativeSpawner} on Linux through the C library: {@code posix_spawn} (a {@code clone} that
 * shares the pilot's memory until the exec, so its cost does not grow with the JVM), a
 * {@code pidfd} to wait with a timeout, and {@code wait4} to reap the process with its resource use.
 * Compiled for Java 22 (the Foreign Function and Memory API); loaded by {@link NativeSpawner#load()}.
 */
final class PosixSpawner implements NativeSpawner {
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

    private final LibC libc;

    /** Fails (and the pilot uses the JDK) where a call is missing or the kernel has no pidfd (before 5.3). */
    PosixSpawner() {
        this.libc = new LibC();
        if (!ARCHITECTURES.contains(System.getProperty("os.arch"))) {
            throw new UnsupportedOperationException("no native spawner for " + System.getProperty("os.arch"));
        }
        int self = (int) ProcessHandle.current().pid();
        try (Arena arena = Arena.ofConfined()) {
            int fd = libc.pidfdOpen(arena, self);
            libc.closeQuietly(fd);
        } catch (IOException e) {
            throw new UnsupportedOperationException("pidfd_open: " + e.getMessage());
        }
    }

    @Override
    public Process spawn(List<String> argv, Map<String, String> environment, Path dir, Path stdout, Path stderr)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(LibC.FILE_ACTIONS_BYTES, 16);
            MemorySegment attr = arena.allocate(LibC.ATTR_BYTES, 16);
            libc.check("posix_spawn_file_actions_init", (int) libc.actionsInit.invokeExact(actions));
            try {
                libc.check("posix_spawnattr_init", (int) libc.attrInit.invokeExact(attr));
                try {
                    int truncate = LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC;
                    libc.check("addopen", (int) libc.addOpen.invokeExact(actions, 0,
                            arena.allocateFrom("/dev/null"), 0, 0));
                    libc.check("addopen", (int) libc.addOpen.invokeExact(actions, 1,
                            arena.allocateFrom(stdout.toAbsolutePath().toString()), truncate, 0666));
                    libc.check("addopen", (int) libc.addOpen.invokeExact(actions, 2,
                            arena.allocateFrom(stderr.toAbsolutePath().toString()), truncate, 0666));
                    libc.check("addchdir", (int) libc.addChdir.invokeExact(actions,
                            arena.allocateFrom(dir.toAbsolutePath().toString())));
                    libc.check("addclosefrom", (int) libc.addCloseFrom.invokeExact(actions, 3));
                    MemorySegment none = arena.allocate(LibC.SIGSET_BYTES, 16);
                    MemorySegment all = arena.allocate(LibC.SIGSET_BYTES, 16);
                    libc.check("sigemptyset", (int) libc.sigEmptySet.invokeExact(none));
                    libc.check("sigfillset", (int) libc.sigFillSet.invokeExact(all));
                    libc.check("setsigmask", (int) libc.attrSetSigMask.invokeExact(attr, none));
                    libc.check("setsigdefault", (int) libc.attrSetSigDefault.invokeExact(attr, all));
                    libc.check("setflags", (int) libc.attrSetFlags.invokeExact(attr,
                            (short) (LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)));

                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int error = (int) libc.spawn.invokeExact(pid, arena.allocateFrom(argv.get(0)), actions, attr,
                            LibC.strings(arena, argv), LibC.strings(arena, environmentStrings(environment)));
                    if (error != 0) {
                        throw new IOException("cannot start " + argv.get(0) + ": " + libc.describe(error));
                    }
                    return new SpawnedProcess(libc, pid.get(JAVA_INT, 0));
                } finally {
                    int ignored = (int) libc.attrDestroy.invokeExact(attr);
                }
            } finally {
                int ignored = (int) libc.actionsDestroy.invokeExact(actions);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> environmentStrings(Map<String, String> environment) {
        return environment.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
    }
}
