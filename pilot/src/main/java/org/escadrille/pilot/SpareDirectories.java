package org.escadrille.pilot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Empty working directories kept for the next attempts. A finished attempt whose directory holds
 * nothing but the pilot's skeleton ({@code .escadrille/} with its logs and an empty {@code tmp/}, every
 * directory with the mode it was made with) hands it on, renamed, after deleting its logs; the next
 * attempt renames it into place instead of making three directories. Measured with
 * {@code bench/run dispatch}: on ext4, whose inode allocator skips every recently deleted inode, making
 * and deleting three directories per tiny task was a fifth of the pilot's CPU.
 *
 * <p>Any other directory is deleted as before, so an attempt always starts in an empty directory.
 * (Tasks of one pilot run as one Unix user: a spare is as private as a new directory would be.)
 */
final class SpareDirectories {
    private static final Logger LOG = Logger.getLogger(SpareDirectories.class.getName());
    private static final Set<String> SKELETON = Set.of("stdout", "stderr", "times", "tmp");

    private final Path home;
    private final int capacity;
    private final Deque<Path> spares = new ConcurrentLinkedDeque<>();
    private final AtomicInteger names = new AtomicInteger();
    private volatile int freshMode = -1;

    /**
     * @param home     where spares wait (created when first needed, on the working directories' file system)
     * @param capacity how many may wait; none at all when zero
     */
    SpareDirectories(Path home, int capacity) {
        this.home = home;
        this.capacity = capacity;
    }

    /** Creates {@code workDir}'s skeleton from a spare (one rename) or anew. */
    void create(WorkDirectory workDir) throws IOException {
        workDir.delete();
        Path spare;
        while ((spare = spares.pollFirst()) != null) {
            try {
                Files.move(spare, workDir.root(), StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (IOException e) {
                LOG.fine(() -> "spare directory not usable: " + e);
                WorkDirectory.deleteTree(spare);
            }
        }
        workDir.create();
        if (freshMode == -1 && capacity > 0) {
            try {
                freshMode = mode(workDir.root());
            } catch (IOException | RuntimeException e) {
                // No "unix" attribute view here: no spares.
                freshMode = -2;
            }
        }
    }

    /** Deletes {@code workDir}, or keeps it as a spare when it is only the skeleton. */
    void release(WorkDirectory workDir) throws IOException {
        if (spares.size() < capacity && freshMode >= 0) {
            try {
                if (isOnlySkeleton(workDir)) {
                    for (String log : new String[] {"stdout", "stderr", "times"}) {
                        Files.deleteIfExists(workDir.pilotDir().resolve(log));
                    }
                    Files.createDirectories(home);
                    Path spare = home.resolve(Integer.toString(names.incrementAndGet()));
                    Files.move(workDir.root(), spare, StandardCopyOption.ATOMIC_MOVE);
                    spares.addLast(spare);
                    return;
                }
            } catch (IOException e) {
                // Changed under us (a process the task left?): delete it as any other.
                LOG.fine(() -> workDir.root() + " not kept as a spare: " + e);
            }
        }
        workDir.delete();
    }

    /** Deletes every spare (the pilot is stopping). */
    void clear() {
        Path spare;
        while ((spare = spares.pollFirst()) != null) {
            try {
                WorkDirectory.deleteTree(spare);
            } catch (IOException e) {
                LOG.fine(() -> "could not delete a spare directory: " + e);
            }
        }
        try {
            Files.deleteIfExists(home);
        } catch (IOException e) {
            // Not empty: a spare that could not be deleted; leave it.
        }
    }

    private boolean isOnlySkeleton(WorkDirectory workDir) throws IOException {
        return isPlainDirectory(workDir.root()) && Set.of(WorkDirectory.PILOT_DIR).equals(entries(workDir.root()))
                && isPlainDirectory(workDir.pilotDir()) && SKELETON.containsAll(entries(workDir.pilotDir()))
                && isPlainDirectory(workDir.tmp()) && entries(workDir.tmp()).isEmpty();
    }

    /** A directory (not a link to one) with the mode the pilot gives a new one. */
    private boolean isPlainDirectory(Path dir) throws IOException {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && mode(dir) == freshMode;
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static Set<String> entries(Path dir) throws IOException {
        var names = new HashSet<String>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                names.add(entry.getFileName().toString());
                if (names.size() > SKELETON.size()) {
                    break;
                }
            }
        }
        return names;
    }
}
