package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished attempt's directory is handed on only when it is nothing but the empty skeleton. */
class SpareDirectoriesTest {

    @TempDir
    Path root;

    private final SpareDirectories spares = new SpareDirectories(Path.of("unused"), 0);

    private SpareDirectories spares(int capacity) {
        return new SpareDirectories(root.resolve(".spare"), capacity);
    }

    @Test
    void anEmptySkeletonIsRenamedIntoTheNextAttemptWithoutItsLogs() throws IOException {
        var pool = spares(4);
        var first = new WorkDirectory(root.resolve("a1"));
        pool.create(first);
        Files.writeString(first.stdout(), "the first attempt's output");
        Files.writeString(first.stderr(), "and its errors");
        Object inode = fileKey(first.root());

        pool.release(first);
        var second = new WorkDirectory(root.resolve("a2"));
        pool.create(second);

        assertThat(first.root()).doesNotExist();
        assertThat(fileKey(second.root())).as("the same directory, renamed").isEqualTo(inode);
        assertThat(second.tmp()).isEmptyDirectory();
        assertThat(second.stdout()).doesNotExist();
        assertThat(second.stderr()).doesNotExist();
        try (var entries = Files.list(second.pilotDir())) {
            assertThat(entries).containsExactly(second.tmp());
        }
    }

    @Test
    void aDirectoryWithAnythingTheTaskLeftIsDeletedNotKept() throws IOException {
        var pool = spares(4);
        var leftFile = new WorkDirectory(root.resolve("a1"));
        pool.create(leftFile);
        Files.writeString(leftFile.root().resolve("result.txt"), "x");
        var leftTemp = new WorkDirectory(root.resolve("a2"));
        pool.create(leftTemp);
        Files.writeString(leftTemp.tmp().resolve("scratch"), "x");
        var leftInPilotDir = new WorkDirectory(root.resolve("a3"));
        pool.create(leftInPilotDir);
        Files.writeString(leftInPilotDir.pilotDir().resolve("other"), "x");

        pool.release(leftFile);
        pool.release(leftTemp);
        pool.release(leftInPilotDir);

        assertThat(leftFile.root()).doesNotExist();
        assertThat(leftTemp.root()).doesNotExist();
        assertThat(leftInPilotDir.root()).doesNotExist();
        assertThat(root.resolve(".spare")).doesNotExist();
    }

    @Test
    void aDirectoryWhoseModeTheTaskChangedIsNotKept() throws IOException {
        var pool = spares(4);
        var first = new WorkDirectory(root.resolve("a1"));
        pool.create(first);
        Files.setPosixFilePermissions(first.root(), PosixFilePermissions.fromString("r-x------"));

        pool.release(first);
        var second = new WorkDirectory(root.resolve("a2"));
        pool.create(second);

        assertThat(first.root()).doesNotExist();
        // Made anew (ext4 may well give it the same inode): the mode is a new directory's.
        assertThat(Files.getPosixFilePermissions(second.root()))
                .contains(PosixFilePermission.OWNER_WRITE);
        assertThat(root.resolve(".spare")).doesNotExist();
    }

    @Test
    void noMoreThanTheCapacityWaitsAndClearDeletesThemAll() throws IOException {
        var pool = spares(1);
        var a = new WorkDirectory(root.resolve("a1"));
        var b = new WorkDirectory(root.resolve("a2"));
        pool.create(a);
        pool.create(b);

        pool.release(a);
        pool.release(b);

        try (var waiting = Files.list(root.resolve(".spare"))) {
            assertThat(waiting).hasSize(1);
        }
        assertThat(b.root()).doesNotExist();

        pool.clear();

        assertThat(root.resolve(".spare")).doesNotExist();
        try (var left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void withNoCapacityEveryDirectoryIsDeleted() throws IOException {
        var a = new WorkDirectory(root.resolve("a1"));
        spares.create(a);

        spares.release(a);

        assertThat(a.root()).doesNotExist();
        try (var left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
