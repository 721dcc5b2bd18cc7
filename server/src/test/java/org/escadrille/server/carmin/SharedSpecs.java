package org.escadrille.server.carmin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds {@code ../shared/specs/<name>} (test data kept outside the repository: CARMIN's specification,
 * VIP's client) for the tests that use it; they are skipped, saying why, where it is absent.
 */
final class SharedSpecs {
    static final String MISSING = "../shared/specs is not beside this repository (a user's clone has no shared/ folder): "
            + "CARMIN's specification and VIP's client, test data kept outside the repository, are unavailable";

    private SharedSpecs() {
    }

    static Optional<Path> locate(String name, String marker) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : new Path[] {dir.resolve("shared/specs").resolve(name), dir.resolve("../shared/specs").resolve(name)}) {
                if (Files.exists(candidate.resolve(marker))) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }

    static Optional<Path> carminYaml() {
        return locate("carmin", "carmin.yaml").map(dir -> dir.resolve("carmin.yaml"));
    }

    static Optional<Path> vipClientSources() {
        return locate("vip-client", "src/vip_client/utils/vip.py").map(dir -> dir.resolve("src"));
    }
}
