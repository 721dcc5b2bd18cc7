package org.escadrille.pilot;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * The C library calls the {@link PosixSpawner} makes, bound through the Foreign Function and Memory
 * API (Java 22), with the constants and struct sizes of 64-bit Linux and the errno of the calls that
 * set it. Binding fails (UnsupportedOperationException) where a call is missing, and the pilot then
 * starts processes through the JDK.
 */
final class LibC {
    // The same on x86-64 and AArch64 (asm-generic numbers for the pidfd calls, fcntl.h flags).
    static final long SYS_PIDFD_OPEN = 434;
    static final int O_WRONLY = 01;
    static final int O_CREAT = 0100;
    static final int O_TRUNC = 01000;
    static final int POSIX_SPAWN_SETSIGDEF = 0x04;
    static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POLLIN = 0x1;
    static final int EINTR = 4;
    // glibc's sizes on 64-bit Linux are 80, 336 and 128 bytes; room to spare.
    static final long FILE_ACTIONS_BYTES = 256;
    static final long ATTR_BYTES = 1024;
    static final long SIGSET_BYTES = 256;
    /** struct rusage: ru_utime and ru_stime (struct timeval, two longs each) come first. */
    static final long RUSAGE_BYTES = 144;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO_HANDLE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    final MethodHandle spawn = function("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    final MethodHandle actionsInit = function("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    final MethodHandle actionsDestroy = function("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    final MethodHandle addOpen = function("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    final MethodHandle addChdir = function("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    // glibc 2.34 and later: without it the pilot's descriptors would leak into every task.
    final MethodHandle addCloseFrom = function("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    final MethodHandle attrInit = function("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    final MethodHandle attrDestroy = function("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    final MethodHandle attrSetFlags = function("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    final MethodHandle attrSetSigMask = function("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    final MethodHandle attrSetSigDefault = function("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    final MethodHandle sigEmptySet = function("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    final MethodHandle sigFillSet = function("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    final MethodHandle strerror = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    final MethodHandle pidfdOpen = LINKER.downcallHandle(symbol("syscall"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(1), ERRNO);
    final MethodHandle poll = LINKER.downcallHandle(symbol("poll"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    final MethodHandle wait4 = LINKER.downcallHandle(symbol("wait4"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), ERRNO);
    final MethodHandle close = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** A NULL-terminated array of C strings. */
    static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    void check(String call, int error) throws IOException {
        if (error != 0) {
            throw new IOException(call + ": " + describe(error));
        }
    }

    String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) strerror.invokeExact(errno);
            return message.reinterpret(1024).getString(0) + " (errno " + errno + ")";
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    int pidfdOpen(Arena arena, int pid) throws IOException {
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

    void closeQuietly(int fd) {
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
}
