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
}
