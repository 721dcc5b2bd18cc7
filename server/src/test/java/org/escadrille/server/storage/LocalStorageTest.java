package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalStorage} against the storage contract, in a fresh directory per test; and what is its own. */
class LocalStorageTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Storage newStorage() throws IOException {
        return new LocalStorage(dir.resolve("storage"));
    }

    @Test
    void aPutWhoseStreamFailsMidwayKeepsThePreviousObjectAndLeavesNoTemporaryFile() throws IOException {
        Storage storage = newStorage();
        storage.put("a/big.bin", new ByteArrayInputStream("previous\n".getBytes(StandardCharsets.UTF_8)));
        byte[] start = new byte[3 * 1024 * 1024];
        new Random(1).nextBytes(start);
        var cut = new IOException("connection reset");
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(start), new InputStream() {
            @Override
            public int read() throws IOException {
                throw cut;
            }
        });

        assertThatThrownBy(() -> storage.put("a/big.bin", failing)).isSameAs(cut);

        try (InputStream in = storage.get("a/big.bin")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("previous\n");
        }
        try (var files = Files.list(dir.resolve("storage/a"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("big.bin");
        }
    }

    @Test
    void anObjectIsALocalFileAndNothingElseIs() throws IOException {
        Storage storage = newStorage();
        storage.put("a/b/c.txt", new ByteArrayInputStream("c".getBytes(StandardCharsets.UTF_8)));

        assertThat(storage.localFile("a/b/c.txt")).hasValueSatisfying(file -> assertThat(file).hasContent("c"));
        assertThat(storage.localFile("a/b")).isEmpty();
        assertThat(storage.localFile("a/missing.txt")).isEmpty();
    }
}
