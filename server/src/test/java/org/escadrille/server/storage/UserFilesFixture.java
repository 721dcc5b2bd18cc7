package org.escadrille.server.storage;

import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Users' spaces built without Spring, for unit tests of the features that move files into them. */
public final class UserFilesFixture {
    private UserFilesFixture() {
    }

    public static UserFiles on(Storage storage, JdbcClient jdbc, Clock clock) {
        return new UserFiles(storage, new StoredFileRepository(jdbc), clock);
    }
}
