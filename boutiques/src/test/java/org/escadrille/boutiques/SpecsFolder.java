package org.escadrille.boutiques;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds {@code ../shared/specs/boutiques} (test data kept outside the repository) for the tests that use it. */
final class SpecsFolder {

    static final String MISSING = "../shared/specs/boutiques is not beside this repository (a user's clone has "
            + "no shared/ folder): the Boutiques conformance data is unavailable";

    private SpecsFolder() {
    }

    static Optional<Path> locate() {
        String root = System.getProperty("escadrille.repo.root");
        if (root != null && !root.isBlank()) {
            Path candidate = Path.of(root).resolve("../shared/specs/boutiques").normalize();
            if (Files.isRegularFile(candidate.resolve("cases.json"))) {
                return Optional.of(candidate);
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/specs/boutiques"),
                    dir.resolve("../shared/specs/boutiques")}) {
                if (Files.isRegularFile(candidate.resolve("cases.json"))) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }
}
