package org.escadrille.pilot;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link NativeSpawner} on Linux through the C library: {@code posix_spawn} (a {@code clone} that
 * shares the pilot's memory until the exec, so its cost does not grow with the JVM), a
 * {@code pidfd} to wait with a timeout, and {@code wait4} to reap the process with its resource use.
 * Compiled for Java 22 (the Foreign Function and Memory API); loaded by {@link NativeSpawner#load()}.
 */
final class PosixSpawner implements NativeSpawner {
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");
    // The same on x86-64 and AArch64 (asm-generic numbers for the pidfd calls, fcntl.h flags).
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;
    // glibc's sizes on 64-bit Linux are 80, 336 and 128 bytes; room to spare.
    private static final long FILE_ACTIONS_BYTES = 256;
    private static final long ATTR_BYTES = 1024;
    private static final long SIGSET_BYTES = 256;
    /** struct rusage: ru_utime and ru_stime (struct timeval, two longs each) come first. */
    private static final long RUSAGE_BYTES = 144;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final MethodHandle spawn = function("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private final MethodHandle actionsInit = function("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private final MethodHandle actionsDestroy = function("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private final MethodHandle addOpen = function("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private final MethodHandle addChdir = function("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // glibc 2.34 and later: without it the pilot's descriptors would leak into every task.
    private final MethodHandle addCloseFrom = function("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private final MethodHandle attrInit = function("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private final MethodHandle attrDestroy = function("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private final MethodHandle attrSetFlags = function("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private final MethodHandle attrSetSigMask = function("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private final MethodHandle attrSetSigDefault = function("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private final MethodHandle sigEmptySet = function("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private final MethodHandle sigFillSet = function("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private final MethodHandle strerror = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private final MethodHandle pidfdOpen = LINKER.downcallHandle(symbol("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(1), ERRNO);
    private final MethodHandle poll = LINKER.downcallHandle(symbol("poll"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    private final MethodHandle wait4 = LINKER.downcallHandle(symbol("wait4"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), ERRNO);
    private final MethodHandle close = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** Fails (and the pilot uses the JDK) where a call is missing or the kernel has no pidfd (before 5.3). */
    PosixSpawner() {
        if (!ARCHITECTURES.contains(System.getProperty("os.arch"))) {
            throw new UnsupportedOperationException("no native spawner for " + System.getProperty("os.arch"));
        }
        int self = (int) ProcessHandle.current().pid();
        try (Arena arena = Arena.ofConfined()) {
            int fd = pidfdOpen(arena, self);
            closeQuietly(fd);
        } catch (IOException e) {
            throw new UnsupportedOperationException("pidfd_open: " + e.getMessage());
        }
    }

    @Override
    public Process spawn(List<String> argv, Map<String, String> environment, Path dir, Path stdout, Path stderr)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_BYTES, 16);
            MemorySegment attr = arena.allocate(ATTR_BYTES, 16);
            check("posix_spawn_file_actions_init", (int) actionsInit.invokeExact(actions));
            try {
                check("posix_spawnattr_init", (int) attrInit.invokeExact(attr));
                try {
                    int truncate = O_WRONLY | O_CREAT | O_TRUNC;
                    check("addopen", (int) addOpen.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), 0, 0));
                    check("addopen", (int) addOpen.invokeExact(actions, 1,
                            arena.allocateFrom(stdout.toAbsolutePath().toString()), truncate, 0666));
                    check("addopen", (int) addOpen.invokeExact(actions, 2,
                            arena.allocateFrom(stderr.toAbsolutePath().toString()), truncate, 0666));
                    check("addchdir", (int) addChdir.invokeExact(actions,
                            arena.allocateFrom(dir.toAbsolutePath().toString())));
                    check("addclosefrom", (int) addCloseFrom.invokeExact(actions, 3));
                    MemorySegment none = arena.allocate(SIGSET_BYTES, 16);
                    MemorySegment all = arena.allocate(SIGSET_BYTES, 16);
                    check("sigemptyset", (int) sigEmptySet.invokeExact(none));
                    check("sigfillset", (int) sigFillSet.invokeExact(all));
                    check("setsigmask", (int) attrSetSigMask.invokeExact(attr, none));
                    check("setsigdefault", (int) attrSetSigDefault.invokeExact(attr, all));
                    check("setflags", (int) attrSetFlags.invokeExact(attr,
                            (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));

                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int error = (int) spawn.invokeExact(pid, arena.allocateFrom(argv.get(0)), actions, attr,
                            strings(arena, argv), strings(arena, environmentStrings(environment)));
                    if (error != 0) {
                        throw new IOException("cannot start " + argv.get(0) + ": " + describe(error));
                    }
                    return new SpawnedProcess(pid.get(JAVA_INT, 0));
                } finally {
                    int ignored = (int) attrDestroy.invokeExact(attr);
                }
            } finally {
                int ignored = (int) actionsDestroy.invokeExact(actions);
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

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private void check(String call, int error) throws IOException {
        if (error != 0) {
            throw new IOException(call + ": " + describe(error));
        }
    }

    private String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) strerror.invokeExact(errno);
            return message.reinterpret(1024).getString(0) + " (errno " + errno + ")";
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private int pidfdOpen(Arena arena, int pid) throws IOException {
        MemorySegment state = arena.allocate(CALL_STATE);
        try {
            long fd = (long) pidfdOpen.invokeExact(state, SYS_PIDFD_OPEN, pid, 0);
            if (fd < 0) {
                throw new IOException(describe((int) ERRNO_HANDLE.get(state, 0L)));
            }
            return (int) fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private void closeQuietly(int fd) {
        try {
            int ignored = (int) close.invokeExact(fd);
        } catch (Throwable e) {
            // Nothing to do about a descriptor that will not close.
        }
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name));
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /**
     * A spawned child: waited for through its pidfd, reaped with {@code wait4}. One thread waits for
     * it (the runner's); others may ask {@link #isAlive()} or destroy it, which go by its handle.
     */
    private final class SpawnedProcess extends Process implements NativeSpawner.Usage {
        /** How long a wait blocks in C before it looks at the thread's interrupt status. */
        private static final long SLICE_MS = 100;

        private final int pid;
        private final ProcessHandle handle;
        private final Object lock = new Object();
        private int pidfd;
        private boolean reaped;
        private int exitValue;
        private double cpuSeconds;

        SpawnedProcess(int pid) throws IOException {
            this.pid = pid;
            // The child cannot be gone yet (it is ours, and not reaped): the handle is its identity
            // (pid and start time), which destroy() checks so that it never signals a reused pid.
            this.handle = ProcessHandle.of(pid).orElseThrow(() -> new IOException("process " + pid + " vanished"));
            try (Arena arena = Arena.ofConfined()) {
                this.pidfd = pidfdOpen(arena, pid);
            }
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                synchronized (lock) {
                    if (reaped) {
                        return true;
                    }
                }
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
                if (readable(Math.max(0, Math.min(remainingMs, SLICE_MS)))) {
                    reap();
                    return true;
                }
                if (remainingMs <= 0) {
                    return false;
                }
            }
        }

        @Override
        public int waitFor() throws InterruptedException {
            waitFor(Long.MAX_VALUE / 2, TimeUnit.NANOSECONDS);
            return exitValue();
        }

        @Override
        public int exitValue() {
            synchronized (lock) {
                if (!reaped) {
                    if (!readable(0)) {
                        throw new IllegalThreadStateException("process " + pid + " has not exited");
                    }
                    reap();
                }
                return exitValue;
            }
        }

        @Override
        public boolean isAlive() {
            synchronized (lock) {
                return !reaped && !readable(0);
            }
        }

        /** Whether the pidfd says the process has exited, within {@code timeoutMs}. */
        private boolean readable(long timeoutMs) {
            int fd;
            synchronized (lock) {
                if (reaped) {
                    return true;
                }
                fd = pidfd;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pollfd = arena.allocate(8, 4);
                pollfd.set(JAVA_INT, 0, fd);
                pollfd.set(JAVA_SHORT, 4, POLLIN);
                MemorySegment state = arena.allocate(CALL_STATE);
                int ready = (int) poll.invokeExact(state, pollfd, 1L, (int) timeoutMs);
                if (ready < 0) {
                    int errno = (int) ERRNO_HANDLE.get(state, 0L);
                    if (errno == EINTR) {
                        return false;
                    }
                    throw new IllegalStateException("poll on pidfd of " + pid + ": " + describe(errno));
                }
                return ready > 0;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private void reap() {
            synchronized (lock) {
                if (reaped) {
                    return;
                }
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment status = arena.allocate(JAVA_INT);
                    MemorySegment usage = arena.allocate(RUSAGE_BYTES, 8);
                    MemorySegment state = arena.allocate(CALL_STATE);
                    int result;
                    do {
                        result = (int) wait4.invokeExact(state, pid, status, 0, usage);
                    } while (result < 0 && (int) ERRNO_HANDLE.get(state, 0L) == EINTR);
                    if (result < 0) {
                        throw new IllegalStateException("wait4 " + pid + ": " + describe((int) ERRNO_HANDLE.get(state, 0L)));
                    }
                    int raw = status.get(JAVA_INT, 0);
                    int signal = raw & 0x7f;
                    // As the JDK reports it: the exit status, or 128 + the signal that ended it.
                    exitValue = signal == 0 ? (raw >> 8) & 0xff : 128 + signal;
                    cpuSeconds = seconds(usage, 0) + seconds(usage, 16);
                    reaped = true;
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                } finally {
                    if (reaped) {
                        closeQuietly(pidfd);
                        pidfd = -1;
                    }
                }
            }
        }

        private static double seconds(MemorySegment timeval, long offset) {
            return timeval.get(JAVA_LONG, offset) + timeval.get(JAVA_LONG, offset + 8) / 1e6;
        }

        @Override
        public double cpuSeconds() {
            synchronized (lock) {
                return cpuSeconds;
            }
        }

        @Override
        public void destroy() {
            if (!isReaped()) {
                handle.destroy();
            }
        }

        @Override
        public Process destroyForcibly() {
            if (!isReaped()) {
                handle.destroyForcibly();
            }
            return this;
        }

        private boolean isReaped() {
            synchronized (lock) {
                return reaped;
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public ProcessHandle toHandle() {
            return handle;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public String toString() {
            return "process " + pid;
        }
    }
}
