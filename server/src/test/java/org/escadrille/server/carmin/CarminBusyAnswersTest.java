package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;

import org.escadrille.server.ServiceBusyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.http.HttpStatus;

/**
 * A CARMIN client refused because the server is busy, or because the database failed its write to break a
 * deadlock, is told to send the request again (503, Retry-After and CARMIN's code 50300), as a native API client
 * is: before, both were a 500 asking to report an incident.
 */
class CarminBusyAnswersTest {
    private final CarminExceptionHandler handler = new CarminExceptionHandler();

    @Test
    void aBusyServerAndADeadlockVictimAreAskedToComeBack() {
        for (RuntimeException refused : new RuntimeException[] {
                new ServiceBusyException("the server could not write this now", null),
                new CannotAcquireLockException("Deadlock detected. The current transaction was rolled back.")}) {
            var answer = handler.busy(refused);

            assertThat(answer.getStatusCode()).as("for %s", refused).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(answer.getHeaders().getFirst("Retry-After")).as("seconds").matches("[1-5]");
            assertThat(answer.getBody()).isNotNull();
            assertThat(answer.getBody().errorCode()).isEqualTo(50300L);
            assertThat(answer.getBody().errorMessage()).contains("send it again").doesNotContain("incident");
        }
    }
}
