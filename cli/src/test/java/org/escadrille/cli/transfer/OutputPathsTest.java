package org.escadrille.cli.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPathsTest {
    @TempDir
    Path dir;

    @Test
    void anOutputUnderTheOutputDirKeepsItsPathBelowIt() {
        assertThat(OutputPaths.relative("executions/e1", "executions/e1/seed=1/result.json"))
                .isEqualTo("seed=1/result.json");
        assertThat(OutputPaths.remote("executions/e1", "executions/e1/seed=1/result.json"))
                .isEqualTo("executions/e1/seed=1/result.json");
    }

    @Test
    void anOutputGivenRelativeToTheOutputDirIsFetchedFromIt() {
        assertThat(OutputPaths.relative("executions/e1/", "result.json")).isEqualTo("result.json");
        assertThat(OutputPaths.remote("executions/e1/", "result.json")).isEqualTo("executions/e1/result.json");
    }

    @Test
    void anOutputPathWithDotDotIsRefused() {
        assertThatThrownBy(() -> OutputPaths.relative("executions/e1", "executions/e1/../../../.bashrc"))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> OutputPaths.relative("executions/e1", "../other/secret"))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void anAbsoluteOutputPathIsRefused() {
        assertThatThrownBy(() -> OutputPaths.relative("executions/e1", "/etc/passwd"))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("not relative");
    }

    @Test
    void anOutputWithoutAFileNameIsRefused() {
        assertThatThrownBy(() -> OutputPaths.relative("executions/e1", "executions/e1/"))
                .isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> OutputPaths.relative("executions/e1", ""))
                .isInstanceOf(IntegrityException.class);
    }

    @Test
    void theLocalTargetStaysInsideTheTargetDirectory() {
        assertThat(OutputPaths.target(dir, "a/b.txt")).isEqualTo(dir.toAbsolutePath().resolve("a/b.txt"));
        assertThatThrownBy(() -> OutputPaths.target(dir, "a/../../b.txt")).isInstanceOf(IntegrityException.class);
    }
}
