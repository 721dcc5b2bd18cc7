package org.escadrille.server.carmin;

import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.storage.UserPath;

/**
 * Paths as VIP shows them: the caller's space is {@code /vip/Home}, so {@code /vip/Home/data/a.nii} is
 * {@code data/a.nii} of the native API. {@code /vip} itself is the folder that holds the home.
 */
final class VipPaths {
    static final String ROOT = "/vip";
    static final String HOME = "/vip/Home";

    private VipPaths() {
    }

    /** Whether the path is {@code /vip} itself, above the home. */
    static boolean isRoot(String vipPath) {
        return trimmed(vipPath).equals(ROOT);
    }

    /** Whether the path names something in the caller's space (the home included). */
    static boolean isInHome(String vipPath) {
        String path = trimmed(vipPath);
        return path.equals(HOME) || path.startsWith(HOME + "/");
    }

    /** The path in the caller's space; a path outside {@code /vip/Home} is refused with what to write. */
    static UserPath toUser(String vipPath, String field) {
        String path = trimmed(vipPath);
        if (!isInHome(path)) {
            throw new InvalidRequestException("Invalid path", "'" + vipPath + "' is not in your space: paths start with "
                    + HOME + " (e.g. " + HOME + "/data/input.txt)",
                    List.of(new InvalidRequestException.FieldProblem(field, "must start with " + HOME)));
        }
        return UserPath.of(path.substring(HOME.length()));
    }

    static String toVip(UserPath path) {
        return path.isRoot() ? HOME : HOME + "/" + path.value();
    }

    static String toVip(String userPath) {
        return toVip(UserPath.of(userPath));
    }

    private static String trimmed(String vipPath) {
        String path = vipPath == null ? "" : vipPath.strip();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.startsWith("/") ? path : "/" + path;
    }
}
