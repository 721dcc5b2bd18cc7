package org.escadrille.server.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.escadrille.protocol.PilotProtocol;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

class OverloadFilterTest {

    @Test
    void aLeaseShedWhileCompletionsWaitSaysThatResultsComeFirst() throws Exception {
        var properties = AdmissionTest.properties(1, Duration.ofMinutes(10));
        var admission = new Admission(properties, new SimpleMeterRegistry(), () -> false);
        var filter = new OverloadFilter(admission, JsonMapper.builder().build(), properties,
                new StaticListableBeanFactory().getBeanProvider(ShedPilotSessions.class));
        assertThat(admission.admit(CallKind.COMPLETION)).isEqualTo(Admission.Verdict.ADMITTED);

        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = CompletableFuture.supplyAsync(() -> admission.admit(CallKind.COMPLETION), threads);
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting(CallKind.COMPLETION) == 1);

            var response = new MockHttpServletResponse();
            var chain = new MockFilterChain();
            filter.doFilter(new MockHttpServletRequest("POST", PilotProtocol.LEASE), response, chain);

            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeader("Retry-After")).isNotNull();
            assertThat(response.getContentAsString()).contains("completions are waiting to be taken");
            assertThat(chain.getRequest()).as("the lease went no further").isNull();

            admission.leave(CallKind.COMPLETION);
            assertThat(waiting.join()).isEqualTo(Admission.Verdict.ADMITTED);
        }
        var response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("POST", PilotProtocol.LEASE), response, new MockFilterChain());
        assertThat(response.getStatus()).as("admitted once no completion waits").isEqualTo(200);
    }
}
