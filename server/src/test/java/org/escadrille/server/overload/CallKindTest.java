package org.escadrille.server.overload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallKindTest {

    @Test
    void eachPilotCallIsBoundedWithItsOwnKind() {
        assertThat(CallKind.of("/api/pilot/v1/register")).contains(CallKind.REGISTRATION);
        assertThat(CallKind.of("/api/pilot/v1/heartbeat")).contains(CallKind.HEARTBEAT);
        assertThat(CallKind.of("/api/pilot/v1/bye")).contains(CallKind.HEARTBEAT);
        assertThat(CallKind.of("/api/pilot/v1/lease")).contains(CallKind.LEASE);
        assertThat(CallKind.of("/api/pilot/v1/completions")).contains(CallKind.COMPLETION);
        assertThat(CallKind.of("/api/pilot/v1/attempts/a1/complete")).contains(CallKind.COMPLETION);
        assertThat(CallKind.of("/api/pilot/v1/attempts/a1/log")).contains(CallKind.COMPLETION);
        assertThat(CallKind.of("/api/pilot/v1/attempts/a1/outputs")).contains(CallKind.COMPLETION);
    }

    @Test
    void theApisAndThePortalShareTheUserBound() {
        assertThat(CallKind.of("/api/v1/executions")).contains(CallKind.USER_API);
        assertThat(CallKind.of("/rest/platform")).contains(CallKind.USER_API);
        assertThat(CallKind.of("/executions")).contains(CallKind.USER_API);
        assertThat(CallKind.of("/")).contains(CallKind.USER_API);
    }

    @Test
    void healthAndMetricsAreNeverShed() {
        assertThat(CallKind.of("/api/v1/health")).isEmpty();
        assertThat(CallKind.of("/actuator/health")).isEmpty();
        assertThat(CallKind.of("/actuator/health/readiness")).isEmpty();
        assertThat(CallKind.of("/actuator/prometheus")).isEmpty();
    }

    @Test
    void labelsAreTheNamesOfTheMetricsTags() {
        assertThat(CallKind.USER_API.label()).isEqualTo("user-api");
        assertThat(CallKind.REGISTRATION.label()).isEqualTo("registration");
    }

    @Test
    void aShedPilotCallKeepsItsSessionButARegistrationOrAUserCallDoesNot() {
        assertThat(CallKind.HEARTBEAT.keepsPilotSession()).isTrue();
        assertThat(CallKind.LEASE.keepsPilotSession()).isTrue();
        assertThat(CallKind.COMPLETION.keepsPilotSession()).isTrue();
        assertThat(CallKind.REGISTRATION.keepsPilotSession()).as("its token is good once, for registering").isFalse();
        assertThat(CallKind.USER_API.keepsPilotSession()).isFalse();
    }
}
