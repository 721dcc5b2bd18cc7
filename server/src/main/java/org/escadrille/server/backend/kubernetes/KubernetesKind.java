package org.escadrille.server.backend.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.BackendKind;
import org.escadrille.server.backend.SiteConfig;
import org.springframework.stereotype.Component;

/**
 * Sites of kind {@code kubernetes}: pilots as Jobs in a cluster. The client is configured from the
 * site: a kubeconfig file, or an API server URL with a token file, or else fabric8's own discovery
 * (the service account's token when the server runs in a pod, then {@code ~/.kube/config}).
 */
@Component
public class KubernetesKind implements BackendKind {
    private static final int RETRIES = 2;
    private static final int RETRY_PAUSE_MS = 200;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Map<String, String> settings() {
        return KubernetesSettings.DESCRIPTIONS;
    }

    @Override
    public Backend open(SiteConfig site) {
        var settings = KubernetesSettings.from(site);
        var config = config(site, settings);
        // fabric8 retries a failed call ten times with a doubling pause (near two minutes in all):
        // the pilot factory would wait that long on a site whose API server is down. A few quick
        // tries, then the error, and the factory tries again at its next round.
        config.setRequestRetryBackoffLimit(RETRIES);
        config.setRequestRetryBackoffInterval(RETRY_PAUSE_MS);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        var client = new KubernetesClientBuilder().withConfig(config).build();
        return new KubernetesBackend(client, site.name(), settings);
    }

    private static Config config(SiteConfig site, KubernetesSettings settings) {
        try {
            if (settings.kubeconfig().isPresent()) {
                Path file = readable(site, "kubeconfig", settings.kubeconfig().get());
                return Config.fromKubeconfig(Files.readString(file));
            }
            if (settings.masterUrl().isPresent()) {
                var builder = new ConfigBuilder(Config.empty()).withMasterUrl(settings.masterUrl().get());
                if (settings.tokenFile().isPresent()) {
                    Path token = readable(site, "token-file", settings.tokenFile().get());
                    // Read at each request: projected service-account tokens rotate.
                    builder.withOauthTokenProvider(() -> {
                        try {
                            return Files.readString(token).strip();
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read the token file " + token, e);
                        }
                    });
                }
                settings.caFile().ifPresent(ca -> builder.withCaCertFile(readable(site, "ca-file", ca).toString()));
                return builder.build();
            }
            return Config.autoConfigure(null);
        } catch (IOException | KubernetesClientException e) {
            throw new IllegalArgumentException("site " + site.name() + ": cannot configure the Kubernetes client: "
                    + e.getMessage());
        }
    }

    private static Path readable(SiteConfig site, String key, String path) {
        Path file = Path.of(path);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("site " + site.name() + ": the setting '" + key
                    + "' names a file this server cannot read: " + path);
        }
        return file;
    }
}
