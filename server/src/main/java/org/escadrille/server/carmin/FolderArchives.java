package org.escadrille.server.carmin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/** A folder of the caller's space as one tar archive, streamed file by file (never held in memory). */
@Component
class FolderArchives {
    private final UserFiles files;

    FolderArchives(UserFiles files) {
        this.files = files;
    }

    /** Writes {@code folder} and everything under it, named {@code name/...} in the archive. */
    void write(Account caller, UserPath folder, String name, OutputStream out) throws IOException {
        try (var archive = new TarStream(out)) {
            if (files.isDirectory(caller, folder)) {
                addTree(archive, caller, folder, name);
            } else {
                archive.directory(name, 0);
            }
        }
    }

    private void addTree(TarStream archive, Account caller, UserPath directory, String name) throws IOException {
        archive.directory(name, 0);
        for (var entry : files.list(caller, directory)) {
            String child = name + "/" + entry.name();
            if (entry.directory()) {
                addTree(archive, caller, UserPath.of(entry.path()), child);
            } else {
                try (InputStream in = files.open(caller, UserPath.of(entry.path()))) {
                    archive.file(child, entry.size(), entry.modifiedAtMs(), in);
                }
            }
        }
    }
}
