package org.escadrille.pilot;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.escadrille.protocol.RelativePaths;

/**
 * The working directory of one attempt; its {@code .escadrille} subdirectory is the pilot's (logs,
 * the task's TMPDIR, the CPU times the wrapper reports, the mark of a stop), the rest is the task's.
 */
record WorkDirectory(Path root) {

    static final String PILOT_DIR = ".escadrille";

    WorkDirectory {
        root = root.toAbsolutePath().normalize();
    }

    Path pilotDir() {
        return root.resolve(PILOT_DIR);
    }

    Path stdout() {
        return pilotDir().resolve("stdout");
    }

    Path stderr() {
        return pilotDir().resolve("stderr");
    }

    Path times() {
        return pilotDir().resolve("times");
    }

    /** Created when a sandboxed command is told to stop (see {@code CommandStarter.SANDBOX_WRAPPER}). */
    Path stopped() {
        return pilotDir().resolve("stopped");
    }

    Path tmp() {
        return pilotDir().resolve("tmp");
    }

    /** Creates the directory fresh: a leftover of an earlier run of the same attempt is removed. */
    void create() throws IOException {
        delete();
        // One mkdir each (createDirectories(tmp()) would first fail on the missing parents).
        Files.createDirectories(root);
        Files.createDirectory(pilotDir());
        Files.createDirectory(tmp());
    }

    /** A path named by the server, checked to stay inside this directory. */
    Path resolve(String relative) {
        RelativePaths.requireConfined(relative);
        Path path = root.resolve(relative).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("path must name a file inside the working directory: " + relative);
        }
        return path;
    }

    /** Deletes the whole tree without following symbolic links the task may have left. */
    void delete() throws IOException {
        deleteTree(root);
    }

    /** Deletes a directory and everything in it, whatever the permissions its owner left on it. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // A task may leave directories without write permission; the pilot owns them and can fix
                // that. (Asked first: two access() calls are cheaper than two stat-and-chmod pairs.)
                File asFile = dir.toFile();
                if (!asFile.canWrite() || !asFile.canExecute()) {
                    asFile.setWritable(true, true);
                    asFile.setExecutable(true, true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
