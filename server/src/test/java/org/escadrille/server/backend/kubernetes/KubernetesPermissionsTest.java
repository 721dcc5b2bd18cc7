package org.escadrille.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.defaults;
import static org.escadrille.server.backend.kubernetes.KubernetesTestSites.launch;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesBackend#PERMISSIONS} is what the backend really calls: every request it sends
 * through a whole life (check, submit, list, log, cancel) is read back from the mock API server and
 * turned into the RBAC rule it needs. The server's Role is tested against the same list
 * ({@link KubernetesManifestsTest}), so a new call without its rule fails here first.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPermissionsTest {
    private static final Pattern CORE = Pattern.compile("/api/v1/namespaces/[^/]+/([^/?]+)(/[^/?]+)?(/[^/?]+)?(\\?.*)?");
    private static final Pattern GROUP = Pattern.compile(
            "/apis/([^/]+)/[^/]+/namespaces/[^/]+/([^/?]+)(/[^/?]+)?(/[^/?]+)?(\\?.*)?");
    private static final Pattern NAMESPACE = Pattern.compile("/api/v1/namespaces/[^/?]+");

    KubernetesMockServer server;
    KubernetesClient client;
    private int taken;

    @Test
    void everyCallOfTheBackendIsAmongItsPermissions() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("science").endMetadata().build())
                .create();
        var backend = new KubernetesBackend(client, "cluster", defaults());
        skipRequestsSoFar();

        Set<String> used = new HashSet<>();
        backend.check();
        backend.submit(launch("p-1"));
        backend.active();
        used.addAll(rulesOfRequestsSoFar());
        // The pod a Job controller would start, so that log() has one to read.
        client.pods().inNamespace("science").resource(new PodBuilder().withNewMetadata().withName("p-1-pod")
                .withLabels(new PilotJobs("cluster", defaults()).labels("p-1")).endMetadata().build()).create();
        skipRequestsSoFar();
        backend.log("p-1", 4096);
        backend.cancel("p-1");
        used.addAll(rulesOfRequestsSoFar());

        Set<String> permitted = KubernetesBackend.PERMISSIONS.stream().flatMap(permission -> permission.verbs().stream()
                .map(verb -> permission.apiGroup() + "/" + permission.resource() + ":" + verb)).collect(Collectors.toSet());
        // Reading the namespace is the optional, cluster-wide part of check().
        permitted.add("/namespaces:get");

        assertThat(used).contains("batch/jobs:create", "batch/jobs:list", "batch/jobs:delete", "/secrets:create",
                "/secrets:patch", "/secrets:delete", "/pods:list", "/pods/log:get");
        assertThat(permitted).containsAll(used);
    }

    /** Forgets the requests the test itself made. */
    private void skipRequestsSoFar() throws InterruptedException {
        for (int i = taken; i < server.getRequestCount(); i++) {
            server.takeRequest(1, TimeUnit.SECONDS);
        }
        taken = server.getRequestCount();
    }

    /** The rules needed by the requests the mock server received since the last call. */
    private Set<String> rulesOfRequestsSoFar() throws InterruptedException {
        Set<String> rules = new HashSet<>();
        for (int i = taken; i < server.getRequestCount(); i++) {
            var request = server.takeRequest(1, TimeUnit.SECONDS);
            rules.add(rule(request.getMethod(), request.getPath()));
        }
        taken = server.getRequestCount();
        return rules;
    }

    /** The RBAC rule ({@code group/resource:verb}) a request needs, as the API server's authorizer sees it. */
    private static String rule(String method, String path) {
        var core = CORE.matcher(path);
        var group = GROUP.matcher(path);
        String apiGroup;
        String resource;
        boolean named;
        if (core.matches()) {
            apiGroup = "";
            resource = core.group(1) + (core.group(3) == null ? "" : core.group(3));
            named = core.group(2) != null;
        } else if (group.matches()) {
            apiGroup = group.group(1);
            resource = group.group(2) + (group.group(4) == null ? "" : group.group(4));
            named = group.group(3) != null;
        } else if (NAMESPACE.matcher(path).matches()) {
            apiGroup = "";
            resource = "namespaces";
            named = true;
        } else {
            throw new AssertionError("a request this test cannot classify: " + method + " " + path);
        }
        String verb = switch (method) {
            case "GET" -> path.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + method);
        };
        return apiGroup + "/" + resource + ":" + verb;
    }
}
