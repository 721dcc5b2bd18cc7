package org.escadrille.server.storage;

import java.time.Clock;
import java.util.List;
import org.escadrille.server.account.GroupMembership;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Users' spaces built without Spring, for unit tests of the features that move files into them. */
public final class UserFilesFixture {
    private UserFilesFixture() {
    }

    /** Without quotas. */
    public static UserFiles on(Storage storage, JdbcClient jdbc, Clock clock) {
        return on(storage, jdbc, clock, 0);
    }

    /** With this default quota for everyone (0: no limit). */
    public static UserFiles on(Storage storage, JdbcClient jdbc, Clock clock, long quotaDefaultBytes) {
        var files = new StoredFileRepository(jdbc);
        return new UserFiles(storage, files, new StorageQuotas(new StorageQuotaRepository(jdbc), files, quotaDefaultBytes), clock,
                NO_GROUPS);
    }

    private static final GroupMembership NO_GROUPS = new GroupMembership() {
        @Override
        public List<String> groupsOf(String username) {
            return List.of();
        }

        @Override
        public List<String> membersOf(String group) {
            return List.of();
        }
    };
}
