package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SchedulerMetrics metrics = new SchedulerMetrics(registry);

    private Gauge depthOf(String user) {
        return registry.find("escadrille.queue.depth").tag("user", user).gauge();
    }

    @Test
    void aUsersQueueDepthGaugeStaysTheSameMeterAsItsValueChanges() {
        metrics.queueDepth(Map.of("alice", 3L, "bob", 1L));
        Gauge alice = depthOf("alice");

        metrics.queueDepth(Map.of("alice", 5L, "bob", 1L));

        assertThat(depthOf("alice")).isSameAs(alice);
        assertThat(alice.value()).isEqualTo(5.0);
        assertThat(registry.find("escadrille.queue.depth").gauges()).hasSize(2);
    }

    @Test
    void aUserWithNothingQueuedLosesTheirGauge() {
        metrics.queueDepth(Map.of("alice", 3L, "bob", 1L));

        metrics.queueDepth(Map.of("alice", 2L));

        assertThat(depthOf("bob")).isNull();
        assertThat(depthOf("alice").value()).isEqualTo(2.0);
    }

    @Test
    void theQueueDepthPerUserIsReadableWithoutTheMetricsName() {
        metrics.queueDepth(Map.of("alice", 3L, "bob", 1L));
        metrics.queueDepth(Map.of("alice", 2L));

        assertThat(metrics.queuedByUser()).containsExactly(Map.entry("alice", 2L));
        assertThat(depthOf("alice").value()).isEqualTo(2.0);
    }
}
