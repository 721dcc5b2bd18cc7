package org.escadrille.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.NAMESPACE;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.TOKEN;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.defaults;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.launch;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * What the backend does when the API server refuses: the mock server stores objects (CRUD mode)
 * except for the calls given an expectation, which answer with the Status a real API server sends
 * (its wording copied from one: quota, RBAC, validation).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRefusalsTest {
    private static final String JOBS = "/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs";
    private static final String SECRETS = "/api/v1/namespaces/" + NAMESPACE + "/secrets";

    KubernetesMockServer server;
    KubernetesClient client;

    private KubernetesBackend backend() {
        return new KubernetesBackend(client, "cluster", defaults());
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }

    @Test
    void anExceededQuotaIsRefusedWithTheApiServersMessageAndLeavesNoSecret() {
        server.expect().post().withPath(JOBS).andReturn(403, status(403, "Forbidden",
                "jobs.batch \"escadrille-cluster-p1\" is forbidden: exceeded quota: pilots, requested: limits.cpu=2,"
                        + " used: limits.cpu=16, limited: limits.cpu=16")).once();

        assertThatThrownBy(() -> backend().submit(launch("p1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exceeded quota: pilots, requested: limits.cpu=2")
                .hasMessageContaining("403")
                .hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining("\tat ");

        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void anInvalidJobIsRefusedWithTheFieldTheApiServerNamesAndLeavesNoSecret() {
        server.expect().post().withPath(JOBS).andReturn(422, status(422, "Invalid",
                "Job.batch \"escadrille-cluster-p2\" is invalid: spec.template.spec.containers[0].image:"
                        + " Invalid value: \"Registry/JRE:21\": must not have upper case")).once();

        assertThatThrownBy(() -> backend().submit(launch("p2")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("spec.template.spec.containers[0].image: Invalid value")
                .hasMessageNotContaining(TOKEN);

        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void aRefusedSecretIsRefusedBeforeAnyJobIsCreated() {
        server.expect().post().withPath(SECRETS).andReturn(403, status(403, "Forbidden",
                "secrets is forbidden: User \"system:serviceaccount:science:escadrille\" cannot create resource"
                        + " \"secrets\" in API group \"\" in the namespace \"science\"")).once();

        assertThatThrownBy(() -> backend().submit(launch("p3")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot create resource \"secrets\"");

        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void aSecretThatCannotBeGivenItsOwnerIsDeletedWithItsJob() {
        server.expect().patch().withPath(SECRETS + "/escadrille-cluster-p4").andReturn(403, status(403, "Forbidden",
                "secrets \"escadrille-cluster-p4\" is forbidden: User cannot patch resource \"secrets\"")).once();

        assertThatThrownBy(() -> backend().submit(launch("p4")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot patch resource");

        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void anApiServerThatCannotListJobsIsAnErrorNotAnEmptySite() {
        server.expect().get().withPath(JOBS + "?labelSelector=app.kubernetes.io%2Fname%3Descadrille-pilot%2C"
                + "escadrille.org%2Fsite%3Dcluster").andReturn(403, status(403, "Forbidden",
                "jobs.batch is forbidden: User \"system:anonymous\" cannot list resource \"jobs\"")).always();

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();

        // An empty answer would tell the factory that every pilot is gone.
        assertThatThrownBy(() -> backend().active())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot list resource \"jobs\"");
        assertThatThrownBy(() -> backend().check())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot list resource \"jobs\"");
    }
}
