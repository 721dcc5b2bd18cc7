package org.escadrille.pilot;

import java.util.Optional;

/** Every test of the runner again, with tasks started through {@link ProcessBuilder}. */
class TaskRunnerThroughTheJdkTest extends TaskRunnerTest {
    @Override
    Optional<NativeSpawner> spawner() {
        return Optional.empty();
    }
}
