package org.escadrille.server.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.escadrille.server.backend.SiteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening a Kubernetes site: every bad setting is refused by name before anything reaches a cluster. */
@EnableKubernetesMockClient(https = false)
class KubernetesKindTest {
    private final KubernetesKind kind = new KubernetesKind();
    KubernetesMockServer server;

    @TempDir
    Path dir;

    private static SiteConfig site(String... pairs) {
        var settings = new HashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return new SiteConfig("cluster", settings);
    }

    @Test
    void itIsTheKubernetesKindAndDescribesEverySettingItAccepts() {
        assertThat(kind.name()).isEqualTo("kubernetes");
        assertThat(kind.settings()).containsKeys("namespace", "image", "pilot-jar-source", "node-selector",
                "ttl-after-finished", "kubeconfig", "master-url", "token-file")
                .allSatisfy((name, meaning) -> assertThat(meaning).isNotBlank());
    }

    @Test
    void theDocsDescribeEverySetting() throws IOException {
        String docs = Files.readString(Path.of(System.getProperty("escadrille.repo.root", ".."), "docs",
                "sites-kubernetes.md"));
        assertThat(kind.settings().keySet()).allSatisfy(setting -> assertThat(docs).contains("| `" + setting + "` |"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "node-selector|disktype",
            "node-selector|disktype=ssd,,zone=a",
            "node-selector|-bad=ssd",
            "ttl-after-finished|-5m",
            "ttl-after-finished|soon",
            "time-limit|0s",
            "namespace|Science",
            "image|Registry/JRE 21",
            "memory|4 GB",
            "cpu|two",
            "pilot-jar-source|volume",
            "service-account|Pilots!",
            "server-url|gateway.example.org",
    })
    void aBadValueIsRefusedNamingItsSetting(String setting, String value) {
        assertThatThrownBy(() -> kind.open(site(setting, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + setting + "'")
                .hasMessageContaining(value);
    }

    @Test
    void anUnknownSettingIsRefusedNamingIt() {
        assertThatThrownBy(() -> kind.open(site("namespace", "science", "nodeselector", "disktype=ssd")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeselector");
    }

    @Test
    void settingsThatDoNotGoTogetherAreRefused() {
        assertThatThrownBy(() -> kind.open(site("pilot-jar", "/app/pilot.jar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pilot-jar'");
        assertThatThrownBy(() -> kind.open(site("kubeconfig", "/etc/kube.conf", "master-url", "https://k8s:6443")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kubeconfig' and 'master-url'");
        assertThatThrownBy(() -> kind.open(site("token-file", "/var/run/token")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'master-url'");
    }

    @Test
    void aFileThatCannotBeReadIsRefusedNamingItsSetting() {
        assertThatThrownBy(() -> kind.open(site("kubeconfig", dir.resolve("missing").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'kubeconfig'");
        assertThatThrownBy(() -> kind.open(site("master-url", "https://k8s:6443",
                "token-file", dir.resolve("missing").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'token-file'");
    }

    @Test
    void theTokenFileIsSentAsBearerTokenAndReadAgainAtEachRequest() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "first-token\n");
        server.expect().get().withPath("/apis/batch/v1/namespaces/science/jobs?labelSelector="
                        + "app.kubernetes.io%2Fname%3Descadrille-pilot%2Cescadrille.org%2Fsite%3Dcluster")
                .andReturn(200, Map.of("apiVersion", "batch/v1", "kind", "JobList", "items", java.util.List.of()))
                .always();
        var backend = kind.open(site("namespace", "science", "master-url", server.url("/").replaceAll("/$", ""),
                "token-file", token.toString()));
        try {
            backend.active();
            assertThat(server.getLastRequest().getHeader("Authorization")).isEqualTo("Bearer first-token");

            Files.writeString(token, "rotated-token\n");
            backend.active();
            assertThat(server.getLastRequest().getHeader("Authorization")).isEqualTo("Bearer rotated-token");
        } finally {
            backend.close();
        }
    }

    @Test
    void anApiServerThatDoesNotAnswerFailsTheCheckSoonWithTheReason() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("token"), "secret-bearer-token");
        var backend = kind.open(site("master-url", "http://127.0.0.1:" + closedPort, "token-file", token.toString()));
        try {
            long start = System.nanoTime();
            assertThatThrownBy(backend::check).isInstanceOf(IOException.class)
                    .hasMessageContaining("Kubernetes could not")
                    .hasMessageContaining("Connect")
                    .hasMessageNotContaining("secret-bearer-token");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            backend.close();
        }
    }

    @Test
    void aKubeconfigFileConfiguresTheClient() throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lab
                  cluster: {server: "%s"}
                users:
                - name: gateway
                  user: {token: kubeconfig-token}
                contexts:
                - name: lab
                  context: {cluster: lab, user: gateway}
                current-context: lab
                """.formatted(server.url("/").replaceAll("/$", "")));
        server.expect().get().withPath("/api/v1/namespaces/default")
                .andReturn(200, Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "default")))
                .always();
        server.expect().get().withPath("/apis/batch/v1/namespaces/default/jobs?labelSelector="
                        + "app.kubernetes.io%2Fname%3Descadrille-pilot%2Cescadrille.org%2Fsite%3Dcluster")
                .andReturn(200, Map.of("apiVersion", "batch/v1", "kind", "JobList", "items", java.util.List.of()))
                .always();
        server.expect().get().withPath("/api/v1/namespaces/default/pods?labelSelector="
                        + "app.kubernetes.io%2Fname%3Descadrille-pilot%2Cescadrille.org%2Fsite%3Dcluster")
                .andReturn(200, Map.of("apiVersion", "v1", "kind", "PodList", "items", java.util.List.of()))
                .always();
        var backend = kind.open(site("kubeconfig", kubeconfig.toString()));
        try {
            backend.check();
            assertThat(server.getLastRequest().getHeader("Authorization")).isEqualTo("Bearer kubeconfig-token");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            backend.close();
        }
    }
}
