package org.escadrille.server.carmin;

import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.storage.UserPath;

/**
 * Paths as VIP shows them: the caller's space is {@code /vip/Home}, so {@code /vip/Home/data/a.nii} is
 * {@code data/a.nii} of the native API, and each group's shared folder is {@code /vip/<group>}, so
 * {@code /vip/neuro/a.nii} is {@code groups/neuro/a.nii}. {@code /vip} itself is the folder that holds them.
 * (Group names are lower case, so none is {@code Home}.)
 */
final class VipPaths {
    static final String ROOT = "/vip";
    static final String HOME = "/vip/Home";
    private static final String GROUPS = "groups";

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

    /** Whether the path names something below {@code /vip}: the home, a group's folder or what they hold. */
    static boolean isInView(String vipPath) {
        return trimmed(vipPath).startsWith(ROOT + "/");
    }

    /**
     * The path in the caller's view (their space, or {@code groups/<group>/...}); a path outside {@code /vip}
     * is refused with what to write.
     */
    static UserPath toUser(String vipPath, String field) {
        String path = trimmed(vipPath);
        if (isInHome(path)) {
            return UserPath.of(path.substring(HOME.length()));
        }
        if (!isInView(path)) {
            throw new InvalidRequestException("Invalid path", "'" + vipPath + "' is not in your space: paths start with "
                    + HOME + " (e.g. " + HOME + "/data/input.txt), or " + ROOT + "/<group> for a group's shared folder",
                    List.of(new InvalidRequestException.FieldProblem(field, "must start with " + HOME + " or " + ROOT + "/<group>")));
        }
        return UserPath.of(GROUPS + path.substring(ROOT.length()));
    }

    static String toVip(UserPath path) {
        if (path.value().equals(GROUPS)) {
            return ROOT;
        }
        if (path.value().startsWith(GROUPS + "/")) {
            return ROOT + path.value().substring(GROUPS.length());
        }
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
