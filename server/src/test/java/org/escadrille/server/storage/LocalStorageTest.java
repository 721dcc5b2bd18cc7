package org.escadrille.server.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalStorage} against the storage contract, in a fresh directory per test. */
class LocalStorageTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Storage newStorage() throws IOException {
        return new LocalStorage(dir.resolve("storage"));
    }
}
