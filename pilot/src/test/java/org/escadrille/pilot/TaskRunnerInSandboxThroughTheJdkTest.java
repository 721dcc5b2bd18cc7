package org.escadrille.pilot;

import java.util.Optional;

/** The runner's tests in the sandbox, with tasks started through {@link ProcessBuilder}. */
class TaskRunnerInSandboxThroughTheJdkTest extends TaskRunnerInSandboxTest {
    @Override
    Optional<NativeSpawner> spawner() {
        return Optional.empty();
    }
}
