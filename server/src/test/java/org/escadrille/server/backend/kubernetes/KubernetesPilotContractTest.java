package org.escadrille.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.NAMESPACE;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.defaults;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.launch;

import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import org.escadrille.server.backend.Backend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code BackendContract}, for the Kubernetes backend: a submitted pilot is active until
 * it is cancelled or its Job ends, cancelling leaves the others, cancelling what is not there is
 * harmless, nothing submitted is nothing active.
 *
 * <p>It does not extend {@code BackendContract}, whose tests run real pilot processes and wait for
 * them: no API server can run on these machines (no cluster, no image registry, no kubelet to start a
 * pod), so fabric8's mock API server stands in at that boundary, in CRUD mode. Nothing runs the Jobs:
 * a pilot "exits" here when the test writes the status a Job controller would (succeeded or failed).
 * The backend has not run against a real cluster here (docs/sites-kubernetes.md says so).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPilotContractTest {
    KubernetesClient client;
    private Backend backend;

    @BeforeEach
    void openBackend() {
        backend = new KubernetesBackend(client, "cluster", defaults());
    }

    @Test
    void aBackendHasAName() {
        assertThat(backend.name()).isNotBlank().isLowerCase();
    }

    @Test
    void aSubmittedPilotIsActiveUntilItIsCancelled() throws IOException {
        backend.submit(launch("pilot-1"));

        assertThat(backend.active()).contains("pilot-1");

        backend.cancel("pilot-1");

        assertThat(backend.active()).doesNotContain("pilot-1");
    }

    @Test
    void aPilotThatExitsIsNoLongerActive() throws IOException {
        backend.submit(launch("pilot-done"));
        backend.submit(launch("pilot-refused"));

        endJob("pilot-done", "Complete");
        endJob("pilot-refused", "Failed");

        assertThat(backend.active()).doesNotContain("pilot-done", "pilot-refused");
    }

    @Test
    void cancellingOnePilotLeavesTheOthers() throws IOException {
        backend.submit(launch("pilot-a"));
        backend.submit(launch("pilot-b"));

        backend.cancel("pilot-a");

        assertThat(backend.active()).containsExactly("pilot-b");
    }

    @Test
    void cancellingAnUnknownOrCancelledPilotIsHarmless() throws IOException {
        assertThatCode(() -> backend.cancel("never-submitted")).doesNotThrowAnyException();

        backend.submit(launch("pilot-twice"));
        backend.cancel("pilot-twice");

        assertThatCode(() -> backend.cancel("pilot-twice")).doesNotThrowAnyException();
        assertThat(backend.active()).doesNotContain("pilot-twice");
    }

    @Test
    void nothingSubmittedIsNothingActive() {
        assertThat(backend.active()).isEmpty();
    }

    /** What the Job controller writes when the pod exits: a condition, and the pod counted. */
    private void endJob(String pilotId, String condition) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName(new PilotJobs("cluster", defaults()).jobName(pilotId))
                .editStatus(job -> new JobBuilder(job).withNewStatus()
                        .withConditions(new JobConditionBuilder().withType(condition).withStatus("True").build())
                        .withSucceeded(condition.equals("Complete") ? 1 : 0)
                        .withFailed(condition.equals("Failed") ? 1 : 0)
                        .endStatus().build());
    }
}
