package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.escadrille.server.execution.ExecutionStatus;
import org.escadrille.server.scheduling.TaskStatus;
import org.junit.jupiter.api.Test;

class SqlListsTest {

    @Test
    void rendersTheLiveTaskStatusesInDeclarationOrder() {
        assertThat(SqlLists.in(TaskStatus.live())).isEqualTo("IN ('QUEUED', 'LEASED', 'RUNNING')");
    }

    @Test
    void rendersTheTerminalExecutionStatusesAsTheEnumDefinesThem() {
        assertThat(SqlLists.in(ExecutionStatus.terminal()))
                .isEqualTo("IN ('Finished', 'InitializationFailed', 'ExecutionFailed', 'Killed')");
    }

    @Test
    void refusesAnEmptyListWhichIsNoValidSql() {
        assertThatThrownBy(() -> SqlLists.in(EnumSet.noneOf(TaskStatus.class))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SqlLists.in(Set.of(TaskStatus.STOPPED))).isEqualTo("IN ('STOPPED')");
    }
}
