package org.escadrille.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.NAMESPACE;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.TOKEN;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.launch;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.settings;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Jobs and Secrets the backend creates, read back from fabric8's mock API server in CRUD mode
 * (it stores what it is sent and answers lists and label selectors like an API server; no cluster
 * can run on these machines).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackendTest {
    KubernetesClient client;
    KubernetesMockServer server;

    private KubernetesBackend backend(Map<String, String> settings) {
        var all = new java.util.HashMap<>(settings);
        all.putIfAbsent("namespace", NAMESPACE);
        return new KubernetesBackend(client, "cluster", settings(all));
    }

    private Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    }

    @Test
    void aPilotIsAJobRunningJavaOnThePilotJarWithTheFactorysArguments() throws IOException {
        var backend = backend(Map.of("image", "registry.example.org/jre:21", "jvm-options", "-Xmx512m -XX:+UseSerialGC",
                "memory", "4Gi", "node-selector", "disktype=ssd,kubernetes.io/arch=amd64", "service-account", "pilots",
                "image-pull-secret", "registry-login", "ttl-after-finished", "10m", "time-limit", "12h"));

        backend.submit(launch("p0001"));

        Job job = job("escadrille-cluster-p0001");
        assertThat(job).isNotNull();
        assertThat(job.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "escadrille-pilot", "escadrille.org/site", "cluster",
                "escadrille.org/pilot", "p0001"));
        assertThat(job.getMetadata().getAnnotations()).containsEntry("escadrille.org/pilot-id", "p0001");
        var spec = job.getSpec();
        assertThat(spec.getBackoffLimit()).isZero();
        assertThat(spec.getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(12 * 3600L);
        assertThat(spec.getTemplate().getMetadata().getLabels()).containsEntry("escadrille.org/pilot", "p0001");
        var pod = spec.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getNodeSelector()).containsExactlyInAnyOrderEntriesOf(
                Map.of("disktype", "ssd", "kubernetes.io/arch", "amd64"));
        assertThat(pod.getServiceAccountName()).isEqualTo("pilots");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getImagePullSecrets()).extracting(secret -> secret.getName()).containsExactly("registry-login");
        assertThat(pod.getContainers()).hasSize(1);
        var pilot = pod.getContainers().getFirst();
        assertThat(pilot.getImage()).isEqualTo("registry.example.org/jre:21");
        assertThat(pilot.getCommand()).containsExactly("java", "-Xmx512m", "-XX:+UseSerialGC");
        assertThat(pilot.getArgs()).containsExactly("-jar", "/opt/escadrille/escadrille-pilot.jar",
                "--server", "https://gateway.example.org", "--slots", "2", "--work-dir", "/var/lib/escadrille/work",
                "--idle-timeout", "300");
        assertThat(pilot.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(
                Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi")));
        assertThat(pilot.getResources().getLimits()).isEqualTo(pilot.getResources().getRequests());
        assertThat(pilot.getEnv()).singleElement().satisfies(env -> {
            assertThat(env.getName()).isEqualTo("ESCADRILLE_PILOT_TOKEN");
            assertThat(env.getValue()).isNull();
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("escadrille-cluster-p0001");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        });
    }

    @Test
    void byDefaultAnInitContainerDownloadsThePilotJarFromTheServerIntoAnEmptyDir() throws IOException {
        var backend = backend(Map.of("server-url", "http://escadrille.escadrille.svc:8080/"));

        backend.submit(launch("p0002"));

        var pod = job("escadrille-cluster-p0002").getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
            assertThat(init.getImage()).isEqualTo("curlimages/curl:8.11.1");
            assertThat(init.getCommand()).startsWith("curl").endsWith("--output",
                    "/opt/escadrille/escadrille-pilot.jar", "http://escadrille.escadrille.svc:8080/pilot.jar");
            assertThat(init.getVolumeMounts()).singleElement()
                    .satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/opt/escadrille"));
        });
        var pilot = pod.getContainers().getFirst();
        assertThat(pilot.getArgs()).containsSubsequence("--server", "http://escadrille.escadrille.svc:8080/");
        assertThat(pilot.getVolumeMounts()).extracting(mount -> mount.getMountPath())
                .containsExactlyInAnyOrder("/var/lib/escadrille/work", "/opt/escadrille");
        assertThat(pod.getVolumes()).allSatisfy(volume -> assertThat(volume.getEmptyDir()).isNotNull());
        // The defaults: one CPU per slot, any node, the namespace's service account, no deadline.
        assertThat(pilot.getResources().getLimits()).containsEntry("cpu", new Quantity("2"));
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getServiceAccountName()).isNull();
        assertThat(job("escadrille-cluster-p0002").getSpec().getActiveDeadlineSeconds()).isNull();
    }

    @Test
    void withTheJarInTheImageThereIsNoInitContainer() throws IOException {
        var backend = backend(Map.of("pilot-jar-source", "image", "pilot-jar", "/app/pilot.jar", "cpu", "500m"));

        backend.submit(launch("p0003"));

        var pod = job("escadrille-cluster-p0003").getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).isNullOrEmpty();
        assertThat(pod.getContainers().getFirst().getArgs()).startsWith("-jar", "/app/pilot.jar");
        assertThat(pod.getContainers().getFirst().getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
    }

    @Test
    void theTokenIsInTheSecretOwnedByTheJobAndNowhereInTheJob() throws IOException {
        backend(Map.of()).submit(launch("p0004"));

        Job job = job("escadrille-cluster-p0004");
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName("escadrille-cluster-p0004").get();
        String stored = secret.getData() != null && secret.getData().containsKey("token")
                ? new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8)
                : secret.getStringData().get("token");
        assertThat(stored).isEqualTo(TOKEN);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Job");
            assertThat(owner.getName()).isEqualTo(job.getMetadata().getName());
            assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid()).isNotBlank();
        });
        String serialized = Serialization.asJson(job);
        assertThat(serialized).doesNotContain(TOKEN)
                .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aJobIsActiveUntilItSucceedsOrFails() throws IOException {
        var backend = backend(Map.of());
        backend.submit(launch("running"));
        backend.submit(launch("succeeded"));
        backend.submit(launch("failed"));
        backend.submit(launch("completed"));

        setStatus("running", new JobBuilder().withNewStatus().withActive(1).endStatus().build());
        setStatus("succeeded", new JobBuilder().withNewStatus().withSucceeded(1).endStatus().build());
        setStatus("failed", new JobBuilder().withNewStatus().withFailed(1).endStatus().build());
        setStatus("completed", new JobBuilder().withNewStatus().withConditions(new JobConditionBuilder()
                .withType("Complete").withStatus("True").build()).endStatus().build());

        assertThat(backend.active()).containsExactly("running");
    }

    @Test
    void aConditionThatIsNotTrueDoesNotEndAJob() throws IOException {
        var backend = backend(Map.of());
        backend.submit(launch("suspended"));

        setStatus("suspended", new JobBuilder().withNewStatus().withConditions(new JobConditionBuilder()
                .withType("Failed").withStatus("False").build()).endStatus().build());

        assertThat(backend.active()).containsExactly("suspended");
    }

    @Test
    void onlyThisSitesJobsAreItsPilots() throws IOException {
        var mine = backend(Map.of());
        var other = new KubernetesBackend(client, "other-site", settings(Map.of("namespace", NAMESPACE)));
        mine.submit(launch("mine"));
        other.submit(launch("theirs"));

        assertThat(mine.active()).containsExactly("mine");
        assertThat(other.active()).containsExactly("theirs");
    }

    @Test
    void cancelDeletesTheJobAndItsSecretAndIsHarmlessTwice() throws IOException {
        var backend = backend(Map.of());
        backend.submit(launch("p0005"));

        backend.cancel("p0005");

        assertThat(job("escadrille-cluster-p0005")).isNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName("escadrille-cluster-p0005").get()).isNull();
        assertThat(backend.active()).isEmpty();
        assertThatCode(() -> backend.cancel("p0005")).doesNotThrowAnyException();
        assertThatCode(() -> backend.cancel("never-submitted")).doesNotThrowAnyException();
    }

    @Test
    void aPilotIdThatIsNoDnsLabelStillGetsAUniqueValidName() throws IOException {
        var backend = new KubernetesBackend(client, "Big_Cluster", settings(Map.of("namespace", NAMESPACE)));
        String longId = "Pilot_" + "x".repeat(80);

        backend.submit(launch(longId));
        backend.submit(launch(longId + "y"));

        List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
        assertThat(jobs).extracting(job -> job.getMetadata().getName()).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63)
                        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").startsWith("escadrille-big-cluster-pilot-x"));
        assertThat(jobs).allSatisfy(job -> assertThat(job.getMetadata().getLabels().get("escadrille.org/pilot"))
                .hasSizeLessThanOrEqualTo(63));
        assertThat(backend.active()).containsExactlyInAnyOrder(longId, longId + "y");
    }

    @Test
    void namesOfDifferentPilotsDifferEvenWhenSiteAndPilotIdsShareDashes() {
        var settings = settings(Map.of());
        String server = new PilotJobs("lab", settings).jobName("0k2m4p6r8t0v2x4z");
        String dashed = new PilotJobs("lab-gpu", settings).jobName("c-1");
        String otherSplit = new PilotJobs("lab", settings).jobName("gpu-c-1");

        assertThat(server).isEqualTo("escadrille-lab-0k2m4p6r8t0v2x4z");
        assertThat(dashed).isNotEqualTo(otherSplit).startsWith("escadrille-lab-gpu-c-1-");
        assertThat(otherSplit).startsWith("escadrille-lab-gpu-c-1-");
    }

    @Test
    void checkPassesWhenTheNamespaceExistsAndFailsWhenItDoesNot() throws IOException {
        var backend = backend(Map.of());
        assertThatThrownBy(backend::check).isInstanceOf(IOException.class).hasMessageContaining("namespace science does not exist");

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();

        assertThatCode(backend::check).doesNotThrowAnyException();
    }

    @Test
    void theLogIsTheTailOfThePilotContainerOfItsPod() throws IOException {
        var backend = backend(Map.of());
        backend.submit(launch("p0006"));
        var labels = job("escadrille-cluster-p0006").getSpec().getTemplate().getMetadata().getLabels();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                .withName("escadrille-cluster-p0006-x7k2p").withLabels(labels).endMetadata().build()).create();
        server.expect().get()
                .withPath("/api/v1/namespaces/science/pods/escadrille-cluster-p0006-x7k2p/log?pretty=false&container=pilot&tailLines=100")
                .andReturn(200, "pilot starting\nregistration refused: 401\n").once();

        assertThat(backend.log("p0006", 26)).hasValue("registration refused: 401\n");
        assertThat(backend.log("never-submitted", 24)).isEmpty();
    }

    @Test
    void aPodThatCannotPullItsImageMakesTheCheckFailWithTheKubeletsWordsAndIsItsLog() throws IOException {
        var backend = backend(Map.of("image", "registry.example.org/jre:21"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        backend.submit(launch("p0007"));
        String pull = "Back-off pulling image \"registry.example.org/jre:21\"";
        podWithStatus("p0007", new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("pilot")
                .withNewState().withNewWaiting().withReason("ImagePullBackOff").withMessage(pull).endWaiting().endState()
                .endContainerStatus().build());

        assertThatThrownBy(backend::check).isInstanceOf(IOException.class)
                .hasMessageContaining("escadrille-cluster-p0007-pod")
                .hasMessageContaining("container pilot: ImagePullBackOff: " + pull);
        assertThat(backend.log("p0007", 4096)).hasValueSatisfying(text -> assertThat(text).contains(pull));
        // Still a pilot of the site until the factory cancels it: Kubernetes keeps trying.
        assertThat(backend.active()).containsExactly("p0007");
    }

    @Test
    void aPodThatNoNodeCanTakeMakesTheCheckFailWithTheSchedulersWords() throws IOException {
        var backend = backend(Map.of("node-selector", "gpu=a100"));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        backend.submit(launch("p0008"));
        String why = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.";
        podWithStatus("p0008", new PodStatusBuilder().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage(why).endCondition().build());

        assertThatThrownBy(backend::check).isInstanceOf(IOException.class).hasMessageContaining("not scheduled: " + why);
    }

    /** The pod the Job controller would start for a pilot, in the state the kubelet or scheduler gives it. */
    private void podWithStatus(String pilotId, PodStatus status) {
        var labels = job("escadrille-cluster-" + pilotId).getSpec().getTemplate().getMetadata().getLabels();
        String name = "escadrille-cluster-" + pilotId + "-pod";
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().build()).create();
        client.pods().inNamespace(NAMESPACE).withName(name)
                .editStatus(pod -> new PodBuilder(pod).withStatus(status).build());
    }

    private void setStatus(String pilotId, Job withStatus) {
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("escadrille-cluster-" + pilotId)
                .editStatus(job -> new JobBuilder(job).withStatus(withStatus.getStatus()).build());
    }
}
