package org.escadrille.pilot;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A child of the {@link PosixSpawner}: waited for through its pidfd, reaped with {@code wait4}. One
 * thread waits for it (the runner's); others may ask {@link #isAlive()} or destroy it, which go by its
 * handle.
 */
final class SpawnedProcess extends Process implements NativeSpawner.Usage {
    /** How long a wait blocks in C before it looks at the thread's interrupt status. */
    private static final long SLICE_MS = 100;

    private final LibC libc;
    private final int pid;
    private final ProcessHandle handle;
    private final Object lock = new Object();
    private int pidfd;
    private boolean reaped;
    private int exitValue;
    private double cpuSeconds;

    SpawnedProcess(LibC libc, int pid) throws IOException {
        this.libc = libc;
        this.pid = pid;
        // The child cannot be gone yet (it is ours, and not reaped): the handle is its identity
        // (pid and start time), which destroy() checks so that it never signals a reused pid.
        this.handle = ProcessHandle.of(pid).orElseThrow(() -> new IOException("process " + pid + " vanished"));
        try (Arena arena = Arena.ofConfined()) {
            this.pidfd = libc.pidfdOpen(arena, pid);
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
            pollfd.set(JAVA_SHORT, 4, LibC.POLLIN);
            MemorySegment state = arena.allocate(LibC.CALL_STATE);
            int ready = (int) libc.poll.invokeExact(state, pollfd, 1L, (int) timeoutMs);
            if (ready < 0) {
                int errno = (int) LibC.ERRNO_HANDLE.get(state, 0L);
                if (errno == LibC.EINTR) {
                    return false;
                }
                throw new IllegalStateException("poll on pidfd of " + pid + ": " + libc.describe(errno));
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
                MemorySegment usage = arena.allocate(LibC.RUSAGE_BYTES, 8);
                MemorySegment state = arena.allocate(LibC.CALL_STATE);
                int result;
                do {
                    result = (int) libc.wait4.invokeExact(state, pid, status, 0, usage);
                } while (result < 0 && (int) LibC.ERRNO_HANDLE.get(state, 0L) == LibC.EINTR);
                if (result < 0) {
                    throw new IllegalStateException("wait4 " + pid + ": "
                        + libc.describe((int) LibC.ERRNO_HANDLE.get(state, 0L)));
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
                    libc.closeQuietly(pidfd);
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
