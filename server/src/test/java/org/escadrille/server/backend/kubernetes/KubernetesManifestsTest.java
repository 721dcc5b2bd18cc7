package org.escadrille.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The manifests of {@code deploy/kubernetes} that run the server itself: each parses as the kind it
 * claims, they fit together (names, labels, ports, the Secret's keys), the Role grants exactly what
 * the backend calls ({@link KubernetesBackend#PERMISSIONS}), and the mock API server accepts them.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesManifestsTest {
    private static final Path DIR = Path.of(System.getProperty("escadrille.repo.root", ".."), "deploy", "kubernetes");

    KubernetesClient client;
    private final List<HasMetadata> objects = new ArrayList<>();

    @BeforeEach
    @SuppressWarnings("unchecked")
    void loadEveryManifestOfTheKustomization() throws IOException {
        Map<String, Object> kustomization = client.getKubernetesSerialization()
                .unmarshal(Files.readString(DIR.resolve("kustomization.yaml")), Map.class);
        var listed = (List<String>) kustomization.get("resources");
        try (Stream<Path> files = Files.list(DIR)) {
            assertThat(listed).as("every manifest is in kustomization.yaml").containsExactlyInAnyOrderElementsOf(
                    files.map(file -> file.getFileName().toString())
                            .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).toList());
        }
        for (String file : listed) {
            try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
                objects.addAll(client.load(in).items());
            }
        }
    }

    private <T extends HasMetadata> T one(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.collectingAndThen(
                Collectors.toList(), found -> {
                    assertThat(found).as(type.getSimpleName()).hasSize(1);
                    return found.getFirst();
                }));
    }

    @Test
    void theServerIsOneDeploymentWithItsServiceAccountStorageAndDatabase() {
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Namespace", "ServiceAccount",
                "Role", "RoleBinding", "Secret", "PersistentVolumeClaim", "Deployment", "Service");
        assertThat(objects).filteredOn(object -> !object.getKind().equals("Namespace"))
                .allSatisfy(object -> assertThat(object.getMetadata().getNamespace()).isEqualTo("escadrille"));

        Deployment deployment = one(Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(pod.getServiceAccountName()).isEqualTo(one(ServiceAccount.class).getMetadata().getName());
        var container = pod.getContainers().getFirst();
        assertThat(container.getArgs()).contains("serve");
        assertThat(pod.getVolumes()).singleElement().satisfies(volume -> assertThat(
                volume.getPersistentVolumeClaim().getClaimName())
                .isEqualTo(one(PersistentVolumeClaim.class).getMetadata().getName()));
        assertThat(container.getVolumeMounts()).singleElement()
                .satisfies(mount -> assertThat(container.getArgs()).contains("--data-dir=" + mount.getMountPath()));

        Secret database = one(Secret.class);
        var fromSecret = container.getEnv().stream().filter(env -> env.getValueFrom() != null)
                .collect(Collectors.toMap(env -> env.getName(), env -> env.getValueFrom().getSecretKeyRef()));
        assertThat(fromSecret).containsOnlyKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD");
        assertThat(fromSecret.values()).allSatisfy(ref -> {
            assertThat(ref.getName()).isEqualTo(database.getMetadata().getName());
            assertThat(database.getStringData()).containsKey(ref.getKey());
        });
        assertThat(container.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("ESCADRILLE_LOCAL_ENABLED");
            assertThat(env.getValue()).isEqualTo("false");
        });
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
    }

    @Test
    void theServiceReachesTheServersPort() {
        Deployment deployment = one(Deployment.class);
        Service service = one(Service.class);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(service.getSpec().getSelector());
        var port = service.getSpec().getPorts().getFirst();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts())
                .anySatisfy(containerPort -> assertThat(containerPort.getName()).isEqualTo(port.getTargetPort().getStrVal()));
        // What the server tells pilots: this Service's name in the cluster's DNS, on its port.
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(env -> assertThat(env.getValue()).isEqualTo("http://" + service.getMetadata().getName()
                        + "." + service.getMetadata().getNamespace() + ".svc:" + port.getPort()));
    }

    @Test
    void theRoleGrantsExactlyWhatTheBackendCallsToTheServersServiceAccount() {
        Role role = one(Role.class);
        Set<String> granted = new HashSet<>();
        role.getRules().forEach(rule -> rule.getApiGroups().forEach(group -> rule.getResources().forEach(resource ->
                rule.getVerbs().forEach(verb -> granted.add(group + "/" + resource + ":" + verb)))));
        Set<String> used = KubernetesBackend.PERMISSIONS.stream().flatMap(permission -> permission.verbs().stream()
                .map(verb -> permission.apiGroup() + "/" + permission.resource() + ":" + verb)).collect(Collectors.toSet());
        assertThat(granted).isEqualTo(used);

        RoleBinding binding = one(RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(one(ServiceAccount.class).getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(role.getMetadata().getNamespace());
        });
    }

    @Test
    void theApiServerAcceptsEveryManifest() {
        client.resourceList(objects).create();

        for (HasMetadata object : objects) {
            assertThat(client.resource(object).get()).as(object.getKind() + " " + object.getMetadata().getName())
                    .isNotNull();
        }
        assertThat(client.apps().deployments().inNamespace("escadrille").withName("escadrille").get()
                .getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("escadrille");
    }
}
