package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;

import org.escadrille.protocol.Completion.Outcome;
import org.escadrille.protocol.Order;
import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void aStoppedToolThatExitsCleanlyOrDiesOfOurSigtermHasStopped() {
        assertThat(Verdict.of(result(0, true, false), Order.Kind.STOP, 0).outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(Verdict.of(result(143, true, false), Order.Kind.STOP, 0).outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(Verdict.of(result(2, true, false), Order.Kind.STOP, 0))
                .isEqualTo(new Verdict(Outcome.FAILED, "failed after being told to stop: exit code 2"));
    }

    @Test
    void failuresSayWhy() {
        assertThat(Verdict.of(result(137, false, true), null, 30))
                .isEqualTo(new Verdict(Outcome.FAILED, "time limit of 30 s exceeded"));
        assertThat(Verdict.of(result(139, false, false), null, 0))
                .isEqualTo(new Verdict(Outcome.FAILED, "killed by SIGSEGV (exit code 139)"));
        assertThat(Verdict.of(result(1, false, false), null, 0)).isEqualTo(new Verdict(Outcome.FAILED, "exit code 1"));
        assertThat(Verdict.of(result(143, false, false), Order.Kind.CANCEL, 0).outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(Verdict.of(result(0, false, false), null, 0).keepsOutputs()).isTrue();
    }

    private static CommandResult result(int exitCode, boolean stopped, boolean timedOut) {
        return new CommandResult(exitCode, timedOut, stopped, false, 0, 1000, 1, 0.5, 1024);
    }
}
