package org.escadrille.server.carmin;

import java.net.URLConnection;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/** The caller's space and their groups' shared folders as CARMIN's {@code Path} objects, read through {@link UserFiles}. */
@Component
class CarminPaths {
    private final UserFiles files;

    CarminPaths(UserFiles files) {
        this.files = files;
    }

    boolean exists(Account caller, String vipPath) {
        if (VipPaths.isRoot(vipPath)) {
            return true;
        }
        if (!VipPaths.isInView(vipPath)) {
            return false;
        }
        return files.exists(caller, VipPaths.toUser(vipPath, "path"));
    }

    CarminPath properties(Account caller, String vipPath) {
        if (VipPaths.isRoot(vipPath)) {
            return CarminPath.directory(VipPaths.ROOT, 0);
        }
        var path = VipPaths.toUser(vipPath, "path");
        if (files.isDirectory(caller, path)) {
            return CarminPath.directory(VipPaths.toVip(path), 0);
        }
        var stat = files.stat(caller, path);
        return CarminPath.file(VipPaths.toVip(path), stat.size(), stat.modifiedAtMs(), null, mimeType(path.name()));
    }

    List<CarminPath> list(Account caller, String vipPath) {
        if (VipPaths.isRoot(vipPath)) {
            // the home, then the shared folder of each group of the caller's (what VIP shows)
            var folders = new ArrayList<CarminPath>(List.of(CarminPath.directory(VipPaths.HOME, 0)));
            var groups = UserPath.of("groups");
            if (files.isDirectory(caller, groups)) {
                files.list(caller, groups).forEach(group -> folders.add(CarminPath.directory(VipPaths.toVip(group.path()), 0)));
            }
            return folders;
        }
        var directory = VipPaths.toUser(vipPath, "path");
        if (!files.exists(caller, directory)) {
            throw new NotFoundException("no directory '" + vipPath + "' in your space");
        }
        if (!files.isDirectory(caller, directory)) {
            throw new InvalidRequestException("Not a directory", "'" + vipPath + "' is a file: ask for its properties "
                    + "or its content instead");
        }
        var listing = new ArrayList<CarminPath>();
        for (var entry : files.list(caller, directory)) {
            String vip = VipPaths.toVip(entry.path());
            listing.add(entry.directory() ? CarminPath.directory(vip, entry.modifiedAtMs())
                    : CarminPath.file(vip, entry.size(), entry.modifiedAtMs(), null, mimeType(entry.name())));
        }
        return listing;
    }

    /** An execution's output as a result: missing (not an error) when its file was deleted since. */
    CarminPath result(Account caller, String userPath, String executionId) {
        var path = UserPath.of(userPath);
        try {
            var stat = files.stat(caller, path);
            return CarminPath.file(VipPaths.toVip(path), stat.size(), stat.modifiedAtMs(), executionId, mimeType(path.name()))
                    .asResult();
        } catch (NotFoundException deleted) {
            return CarminPath.missing(VipPaths.toVip(path), executionId);
        }
    }

    static String mimeType(String name) {
        return URLConnection.getFileNameMap().getContentTypeFor(name);
    }
}
