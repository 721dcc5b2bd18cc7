package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A write the database failed to break a deadlock, or whose lock wait timed out, was not written and goes through
 * when sent again: its caller is told so (503 and Retry-After), as for every other busy answer. A 500 said
 * "something went wrong, please report it" to a pilot whose completion had met its own heartbeat's write.
 */
class TransientDatabaseAnswersTest {
    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void aDeadlockVictimIsAskedToSendItsRequestAgain() {
        var answer = handler.transientDatabase(new CannotAcquireLockException("Deadlock detected. The current transaction was rolled back."));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as("seconds").matches("[1-5]");
        assertThat(answer.getBody()).isNotNull();
        assertThat(answer.getBody().getDetail()).contains("try again shortly").doesNotContain("Deadlock");
    }
}
