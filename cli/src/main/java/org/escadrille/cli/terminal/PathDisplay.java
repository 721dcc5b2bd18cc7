package org.escadrille.cli.terminal;

import java.nio.file.Path;

/** Local paths as a person would type them: {@code ./results/x/} under the working directory, {@code ~/...} under home. */
public final class PathDisplay {
    private PathDisplay() {
    }

    public static String directory(Path dir, Path workingDir, Path home) {
        return file(dir, workingDir, home) + "/";
    }

    public static String file(Path file, Path workingDir, Path home) {
        Path absolute = file.toAbsolutePath().normalize();
        Path here = workingDir.toAbsolutePath().normalize();
        if (absolute.startsWith(here) && !absolute.equals(here)) {
            return "./" + here.relativize(absolute);
        }
        return fromHome(absolute, home);
    }

    /** {@code ~/...} under home, else absolute: for places that do not depend on where the command runs. */
    public static String fromHome(Path file, Path home) {
        Path absolute = file.toAbsolutePath().normalize();
        Path homeDir = home.toAbsolutePath().normalize();
        if (absolute.startsWith(homeDir) && !absolute.equals(homeDir)) {
            return "~/" + homeDir.relativize(absolute);
        }
        return absolute.toString();
    }
}
