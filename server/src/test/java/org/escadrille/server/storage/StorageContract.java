package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.storage.Storage.Entry;
import org.escadrille.server.storage.Storage.ObjectInfo;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} does, whatever holds the bytes: a new implementation (S3, …) is done when
 * a subclass of this passes. Each test gets an empty storage from {@link #newStorage()}.
 */
abstract class StorageContract {

    /** An empty storage, for one test. */
    protected abstract Storage newStorage() throws IOException;

    @Test
    void anObjectPutIsReadBackWithItsSizeAndChecksum() throws IOException {
        Storage storage = newStorage();

        ObjectInfo info = storage.put("users/alice/data/a.txt", stream("hello\n"));

        assertThat(info.key()).isEqualTo("users/alice/data/a.txt");
        assertThat(info.size()).isEqualTo(6);
        assertThat(info.sha256()).isEqualTo(Sha256.of("hello\n"));
        assertThat(read(storage, "users/alice/data/a.txt")).isEqualTo("hello\n");
        assertThat(storage.stat("users/alice/data/a.txt")).hasValueSatisfying(stat -> {
            assertThat(stat.key()).isEqualTo("users/alice/data/a.txt");
            assertThat(stat.size()).isEqualTo(6);
        });
    }

    @Test
    void aRangeOfAnObjectIsReadAlone() throws IOException {
        Storage storage = newStorage();
        storage.put("r/abc.txt", stream("abcdefghij"));

        try (InputStream middle = storage.get("r/abc.txt", 2, 3);
             InputStream tail = storage.get("r/abc.txt", 7, 3);
             InputStream first = storage.get("r/abc.txt", 0, 1)) {
            assertThat(new String(middle.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("cde");
            assertThat(new String(tail.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hij");
            assertThat(new String(first.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("a");
        }
        assertThatThrownBy(() -> storage.get("r/missing", 0, 1).close()).isInstanceOf(IOException.class);
    }

    @Test
    void anEmptyObjectIsAnObject() throws IOException {
        Storage storage = newStorage();

        ObjectInfo info = storage.put("empty", stream(""));

        assertThat(info.size()).isZero();
        assertThat(info.sha256()).isEqualTo(Sha256.of(""));
        assertThat(storage.stat("empty")).hasValueSatisfying(stat -> assertThat(stat.size()).isZero());
        assertThat(read(storage, "empty")).isEmpty();
    }

    @Test
    void aSecondPutReplacesTheObjectWhole() throws IOException {
        Storage storage = newStorage();
        storage.put("a/b.txt", stream("a longer first version\n"));

        ObjectInfo info = storage.put("a/b.txt", stream("short\n"));

        assertThat(info.size()).isEqualTo(6);
        assertThat(read(storage, "a/b.txt")).isEqualTo("short\n");
        assertThat(storage.stat("a/b.txt")).hasValueSatisfying(stat -> assertThat(stat.size()).isEqualTo(6));
    }

    @Test
    void aMissingObjectHasNoStatAndCannotBeRead() throws IOException {
        Storage storage = newStorage();

        assertThat(storage.stat("nothing/here")).isEmpty();
        assertThatThrownBy(() -> storage.get("nothing/here").close()).isInstanceOf(IOException.class);
    }

    @Test
    void aListingShowsWhatIsDirectlyUnderAPrefixByName() throws IOException {
        Storage storage = newStorage();
        storage.put("d/b.txt", stream("bb"));
        storage.put("d/a.txt", stream("a"));
        storage.put("d/sub/deep.txt", stream("deep"));
        storage.put("other/x", stream("x"));

        List<Entry> entries = storage.list("d/");

        assertThat(entries).extracting(Entry::name).containsExactly("a.txt", "b.txt", "sub");
        assertThat(entries).extracting(Entry::key).containsExactly("d/a.txt", "d/b.txt", "d/sub/");
        assertThat(entries).extracting(Entry::directory).containsExactly(false, false, true);
        assertThat(entries.get(1).size()).isEqualTo(2);
        assertThat(storage.list("")).extracting(Entry::name).containsExactly("d", "other");
        assertThat(storage.isDirectory("d/sub")).isTrue();
        assertThat(storage.isDirectory("d/a.txt")).isFalse();
    }

    @Test
    void aPrefixWithNothingUnderItListsNothing() throws IOException {
        Storage storage = newStorage();

        assertThat(storage.list("absent/")).isEmpty();
        assertThat(storage.walk("absent/")).isEmpty();
        assertThat(storage.isDirectory("absent")).isFalse();
    }

    @Test
    void aWalkFindsEveryObjectAtAnyDepthInKeyOrder() throws IOException {
        Storage storage = newStorage();
        storage.put("run/z.txt", stream("z"));
        storage.put("run/a/b/c.txt", stream("abc"));
        storage.put("run/a/first.txt", stream("1"));
        storage.put("elsewhere.txt", stream("e"));

        List<ObjectInfo> objects = storage.walk("run/");

        assertThat(objects).extracting(ObjectInfo::key).containsExactly("run/a/b/c.txt", "run/a/first.txt", "run/z.txt");
        assertThat(objects.getFirst().size()).isEqualTo(3);
    }

    @Test
    void aDeletedObjectIsGoneAndItsNeighboursStay() throws IOException {
        Storage storage = newStorage();
        storage.put("d/gone.txt", stream("1"));
        storage.put("d/kept.txt", stream("2"));

        storage.delete("d/gone.txt");

        assertThat(storage.stat("d/gone.txt")).isEmpty();
        assertThat(read(storage, "d/kept.txt")).isEqualTo("2");
    }

    @Test
    void deletingAPrefixDeletesEverythingUnderIt() throws IOException {
        Storage storage = newStorage();
        storage.put("run/1/out.txt", stream("1"));
        storage.put("run/2/deep/out.txt", stream("2"));
        storage.put("runner.txt", stream("not under run/"));

        storage.delete("run/");

        assertThat(storage.walk("run/")).isEmpty();
        assertThat(storage.stat("run/2/deep/out.txt")).isEmpty();
        assertThat(read(storage, "runner.txt")).isEqualTo("not under run/");
    }

    @Test
    void deletingWhatIsNotThereIsNoError() throws IOException {
        Storage storage = newStorage();

        assertThatCode(() -> {
            storage.delete("never/was.txt");
            storage.delete("never/");
        }).doesNotThrowAnyException();
    }

    @Test
    void deletingTheWholeStorageIsRefused() throws IOException {
        Storage storage = newStorage();
        storage.put("precious.txt", stream("p"));

        assertThatThrownBy(() -> storage.delete("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(read(storage, "precious.txt")).isEqualTo("p");
    }

    @Test
    void aMovedObjectIsAtItsNewKeyOnly() throws IOException {
        Storage storage = newStorage();
        storage.put("uploads/tmp-1", stream("content"));

        storage.move("uploads/tmp-1", "users/bob/final/name.txt");

        assertThat(storage.stat("uploads/tmp-1")).isEmpty();
        assertThat(read(storage, "users/bob/final/name.txt")).isEqualTo("content");
    }

    @Test
    void aMoveReplacesWhatIsAtTheTarget() throws IOException {
        Storage storage = newStorage();
        storage.put("new", stream("new"));
        storage.put("old", stream("the old content"));

        storage.move("new", "old");

        assertThat(read(storage, "old")).isEqualTo("new");
        assertThat(storage.stat("new")).isEmpty();
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneWholeVersionAndNoPartialObject() throws Exception {
        Storage storage = newStorage();
        var writes = new ArrayList<Map.Entry<String, String>>();
        for (int i = 0; i < 8; i++) {
            writes.add(Map.entry("shared/result.txt", String.valueOf((char) ('a' + i)).repeat(200_000 + i)));
        }

        putAllAtOnce(storage, writes);

        assertThat(writes).extracting(Map.Entry::getValue).contains(read(storage, "shared/result.txt"));
        assertThat(storage.list("shared/")).extracting(Entry::name).containsExactly("result.txt");
    }

    @Test
    void concurrentWritersOfDifferentKeysAllLand() throws Exception {
        Storage storage = newStorage();
        var writes = new ArrayList<Map.Entry<String, String>>();
        for (int i = 0; i < 16; i++) {
            writes.add(Map.entry("many/" + i + ".txt", "object " + i));
        }

        putAllAtOnce(storage, writes);

        assertThat(storage.walk("many/")).hasSize(writes.size());
        for (var write : writes) {
            assertThat(read(storage, write.getKey())).isEqualTo(write.getValue());
        }
    }

    /** Each write on its own thread, all released together, and returns once every one has ended. */
    private static void putAllAtOnce(Storage storage, List<Map.Entry<String, String>> writes) throws Exception {
        var start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<Future<ObjectInfo>>();
            for (var write : writes) {
                results.add(executor.submit(() -> {
                    start.await();
                    return storage.put(write.getKey(), stream(write.getValue()));
                }));
            }
            start.countDown();
            for (Future<ObjectInfo> result : results) {
                result.get();
            }
        }
    }

    @Test
    void keysThatLeaveTheStorageAreRefused() throws IOException {
        Storage storage = newStorage();

        for (String key : List.of("../outside.txt", "a/../../outside.txt", "a/b/../../../outside.txt")) {
            assertThatThrownBy(() -> storage.put(key, stream("x"))).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.get(key).close()).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.stat(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.move(key, "inside")).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> storage.list("../")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void absoluteKeysAndKeysWithControlCharactersAreRefusedAndWriteNothing() throws IOException {
        Storage storage = newStorage();

        for (String key : List.of("/etc/passwd", "/tmp/x", "a/\n/b", "line\nbreak.txt", "tab\there", "nul\0.txt",
                "back\\slash", "a//b", "./a", "a/./b")) {
            assertThatThrownBy(() -> storage.put(key, stream("x"))).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.get(key).close()).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.stat(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.move("inside", key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(storage.walk("")).isEmpty();
    }

    @Test
    void movingAMissingObjectFailsAndCreatesNothing() throws IOException {
        Storage storage = newStorage();

        assertThatThrownBy(() -> storage.move("not/there", "target")).isInstanceOf(IOException.class);
        assertThat(storage.stat("target")).isEmpty();
    }

    @Test
    void aChecksumTheStorageKeepsIsTheContentsOwn() throws IOException {
        Storage storage = newStorage();
        storage.put("c/sum.txt", stream("first"));
        storage.put("c/sum.txt", stream("second"));
        storage.move("c/sum.txt", "c/moved.txt");

        // Null where the storage keeps none (a directory does not); never a stale or wrong one.
        assertThat(storage.stat("c/moved.txt")).hasValueSatisfying(stat -> assertThat(stat.sha256())
                .isIn(null, Sha256.of("second")));
    }

    @Test
    void unicodeNamesAreKeptAsWritten() throws IOException {
        Storage storage = newStorage();
        String key = "données/été π 東京 🚀.txt";

        storage.put(key, stream("ünïcödé\n"));

        assertThat(read(storage, key)).isEqualTo("ünïcödé\n");
        assertThat(storage.list("données/")).singleElement().satisfies(entry -> {
            assertThat(entry.name()).isEqualTo("été π 東京 🚀.txt");
            assertThat(entry.key()).isEqualTo(key);
        });
        assertThat(storage.walk("données/")).extracting(ObjectInfo::key).containsExactly(key);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Storage storage, String key) throws IOException {
        try (InputStream in = storage.get(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
