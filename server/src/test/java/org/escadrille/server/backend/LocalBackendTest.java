package org.escadrille.server.backend;

import java.util.List;
import org.junit.jupiter.api.Tag;

/** {@link LocalBackend} against the backend contract: its pilots are child processes of the test. */
@Tag("e2e")
class LocalBackendTest extends BackendContract {
    @Override
    protected Backend newBackend() {
        return new LocalBackend("-Xmx64m", List.of(), "none", List.of());
    }
}
