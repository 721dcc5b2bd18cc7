package org.escadrille.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link OrphanSweeper} on a directory. */
class LocalOrphanSweeperTest extends OrphanSweeperContract {
    @TempDir
    Path directory;

    @Override
    protected Storage newStorage() throws IOException {
        return new LocalStorage(Files.createDirectories(directory.resolve("storage")));
    }

    /** A killed write leaves its temporary file beside the key (LocalStorage.put). */
    @Override
    protected void leaveAnUnfinishedUpload(Storage storage, String key) throws IOException {
        Path target = directory.resolve("storage").resolve(key);
        Files.createDirectories(target.getParent());
        Files.writeString(Files.createTempFile(target.getParent(), ".upload-", ".part"), "the first bytes");
    }

    @Override
    protected int unfinishedUploads(Storage storage) throws IOException {
        try (var files = Files.walk(directory.resolve("storage"))) {
            return (int) files.filter(f -> f.getFileName().toString().startsWith(".upload-")).count();
        }
    }
}
