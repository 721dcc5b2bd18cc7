package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.storage.UserPath;
import org.junit.jupiter.api.Test;

class OutputFolderTest {
    private static final Application PI = new Application("a1", "pi", "1.0", "digest", "{}", 0);
    private static final LocalDate DAY = LocalDate.of(2026, 12, 5);

    private static LaunchRequest named(String name) {
        return new LaunchRequest("pi", null, name, Map.of(), null);
    }

    @Test
    void theFolderIsNamedByTheDayTheExecutionsNameAndTheEndOfItsId() {
        assertThat(OutputFolder.of(named("pi sweep"), PI, "1m922jw8te55pmx0", DAY))
                .isEqualTo("executions/2026-12-05 pi sweep 55pmx0");
    }

    @Test
    void aLaunchMayPutTheFolderUnderAnotherFolderOfTheSpace() {
        assertThat(OutputFolder.of("API/session/OUTPUTS", named("pi sweep"), PI, "1m922jw8te55pmx0", DAY))
                .isEqualTo("API/session/OUTPUTS/2026-12-05 pi sweep 55pmx0");
        assertThat(OutputFolder.of("", named("pi"), PI, "1m922jw8te55pmx0", DAY)).isEqualTo("2026-12-05 pi 55pmx0");
    }

    @Test
    void anUnnamedExecutionTakesItsApplicationsName() {
        assertThat(OutputFolder.of(named("  "), PI, "1m922jw8te55pmx0", DAY)).isEqualTo("executions/2026-12-05 pi 55pmx0");
    }

    @Test
    void separatorsQuotesAndDotsThatWouldClimbAreReplacedAndTheNameStaysInOneFolder() {
        String folder = OutputFolder.of(named("../../etc/passwd \"x\" $HOME *\tnew\nline été"), PI, "1m922jw8te55pmx0", DAY);

        assertThat(folder).isEqualTo("executions/2026-12-05 .-.-etc-passwd -x- -HOME - new line été 55pmx0");
        assertThat(UserPath.of(folder).parent().value()).isEqualTo("executions");
    }

    @Test
    void aLongNameIsCut() {
        String folder = OutputFolder.of(named("x".repeat(500)), PI, "1m922jw8te55pmx0", DAY);

        assertThat(folder).hasSize("executions/2026-12-05 ".length() + OutputFolder.NAME_CHARS + " 55pmx0".length());
    }
}
