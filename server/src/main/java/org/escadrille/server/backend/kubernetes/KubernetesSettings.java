package org.escadrille.server.backend.kubernetes;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.escadrille.server.backend.SiteConfig;

/**
 * The settings of one Kubernetes site, checked once when the site opens so that a typo is refused
 * with the setting's name rather than discovered by the API server at the first submission.
 *
 * @param pilotJarFromServer the pilot's jar is fetched from the server's {@code GET /pilot.jar} by an
 *                           init container into an emptyDir, rather than found in the image
 * @param cpu                the pilot's CPU request and limit, or empty for its slots
 * @param timeLimit          the Job's {@code activeDeadlineSeconds}, or empty for none
 * @param serverUrl          the URL pilots in the cluster use to reach the server, or empty for the one
 *                           the factory gives (its public URL)
 */
record KubernetesSettings(String namespace, String image, boolean pilotJarFromServer, String pilotJar,
                          String downloaderImage, Optional<String> cpu, String memory, Map<String, String> nodeSelector,
                          Optional<String> serviceAccount, Optional<String> imagePullSecret, Duration ttlAfterFinished,
                          Optional<Duration> timeLimit, String jvmOptions, Optional<String> serverUrl,
                          Optional<String> kubeconfig, Optional<String> masterUrl, Optional<String> tokenFile,
                          Optional<String> caFile) {

    static final String DEFAULT_PILOT_JAR = "/opt/escadrille/escadrille-pilot.jar";

    /** Every setting this engine understands, with what it means (the order is the docs' order). */
    static final Map<String, String> DESCRIPTIONS = descriptions();

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?");
    // A reference as docker and the kubelet accept it: [registry[:port]/]path[:tag][@digest], lower-case path.
    private static final Pattern IMAGE = Pattern.compile(
            "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*"
                    + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");

    private static Map<String, String> descriptions() {
        var settings = new LinkedHashMap<String, String>();
        settings.put("namespace", "the namespace of the pilots' Jobs and Secrets (default: default)");
        settings.put("image", "the pilots' container image; it needs a JRE 17 or newer with `java` on its PATH"
                + " (default: eclipse-temurin:21-jre)");
        settings.put("pilot-jar-source", "server (default): an init container downloads the pilot's jar from the"
                + " server's GET /pilot.jar into an emptyDir; image: the image already holds it at pilot-jar");
        settings.put("pilot-jar", "where the image holds the pilot's jar, with pilot-jar-source=image (default: "
                + DEFAULT_PILOT_JAR + ")");
        settings.put("downloader-image", "the init container's image, with curl on its PATH"
                + " (default: curlimages/curl:8.11.1)");
        settings.put("server-url", "the server's URL as pods reach it, e.g. http://escadrille.escadrille.svc:8080"
                + " (default: the server's public URL)");
        settings.put("cpu", "the pilot's CPU request and limit, a Kubernetes quantity such as 2 or 500m"
                + " (default: one CPU per slot)");
        settings.put("memory", "the pilot's memory request and limit, a Kubernetes quantity such as 4Gi (default: 2Gi)");
        settings.put("node-selector", "the nodes pilots may run on, as k=v,k2=v2 (default: any)");
        settings.put("service-account", "the service account of the pilots' pods (default: the namespace's default)");
        settings.put("image-pull-secret", "the Secret holding the registry credentials for image (default: none)");
        settings.put("ttl-after-finished", "how long a finished Job (and its pod's log) is kept before Kubernetes"
                + " deletes it, e.g. 1h or 0s (default: 1h)");
        settings.put("time-limit", "the longest a pilot's Job may run (its activeDeadlineSeconds), e.g. 12h"
                + " (default: none)");
        settings.put("jvm-options", "options of the pilot's JVM, separated by spaces (default: none)");
        settings.put("kubeconfig", "a kubeconfig file to reach the cluster (default: in-cluster configuration when"
                + " the server runs in a pod, else ~/.kube/config)");
        settings.put("master-url", "the API server's URL, instead of a kubeconfig");
        settings.put("token-file", "a file holding the bearer token for master-url, read again at each request"
                + " (the token itself is never a setting)");
        settings.put("ca-file", "the certificate authority of master-url, a PEM file (default: the JRE's)");
        return Collections.unmodifiableMap(settings);
    }

    static KubernetesSettings from(SiteConfig site) {
        site.onlyKnown(DESCRIPTIONS.keySet());
        String namespace = matching(site, "namespace", "default", DNS_LABEL, "a DNS label such as escadrille");
        String image = matching(site, "image", "eclipse-temurin:21-jre", IMAGE,
                "an image reference such as eclipse-temurin:21-jre");
        String source = site.string("pilot-jar-source", "server");
        if (!source.equals("server") && !source.equals("image")) {
            throw bad(site, "pilot-jar-source", "server or image", source);
        }
        String pilotJar = site.string("pilot-jar", DEFAULT_PILOT_JAR);
        if (!pilotJar.startsWith("/") || !pilotJar.endsWith(".jar")) {
            throw bad(site, "pilot-jar", "an absolute path to a .jar in the image", pilotJar);
        }
        if (source.equals("server") && site.optional("pilot-jar").isPresent()) {
            throw new IllegalArgumentException("site " + site.name()
                    + ": the setting 'pilot-jar' only applies with pilot-jar-source=image");
        }
        String downloader = matching(site, "downloader-image", "curlimages/curl:8.11.1", IMAGE,
                "an image reference such as curlimages/curl:8.11.1");
        var cpu = optionalMatching(site, "cpu", QUANTITY, "a Kubernetes quantity such as 2 or 500m");
        String memory = matching(site, "memory", "2Gi", QUANTITY, "a Kubernetes quantity such as 4Gi or 512Mi");
        var serviceAccount = optionalMatching(site, "service-account", DNS_SUBDOMAIN, "a service account's name");
        var pullSecret = optionalMatching(site, "image-pull-secret", DNS_SUBDOMAIN, "a Secret's name");
        Duration ttl = site.duration("ttl-after-finished", Duration.ofHours(1));
        if (ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
            throw bad(site, "ttl-after-finished", "a duration of zero or more", site.string("ttl-after-finished", ""));
        }
        Optional<Duration> timeLimit = site.optional("time-limit").map(text -> site.duration("time-limit", null));
        if (timeLimit.isPresent() && (timeLimit.get().toSeconds() < 1)) {
            throw bad(site, "time-limit", "a positive duration such as 12h", site.string("time-limit", ""));
        }
        var serverUrl = site.optional("server-url");
        if (serverUrl.isPresent() && !serverUrl.get().matches("https?://[^\\s/]+(/\\S*)?")) {
            throw bad(site, "server-url", "an http:// or https:// URL", serverUrl.get());
        }
        var masterUrl = site.optional("master-url");
        if (masterUrl.isPresent() && !masterUrl.get().matches("https?://[^\\s/]+(/\\S*)?")) {
            throw bad(site, "master-url", "an https:// URL", masterUrl.get());
        }
        var kubeconfig = site.optional("kubeconfig");
        if (kubeconfig.isPresent() && masterUrl.isPresent()) {
            throw new IllegalArgumentException("site " + site.name()
                    + ": the settings 'kubeconfig' and 'master-url' exclude each other; give one");
        }
        var tokenFile = site.optional("token-file");
        var caFile = site.optional("ca-file");
        if (masterUrl.isEmpty() && (tokenFile.isPresent() || caFile.isPresent())) {
            throw new IllegalArgumentException("site " + site.name()
                    + ": the settings 'token-file' and 'ca-file' go with 'master-url', which is missing");
        }
        return new KubernetesSettings(namespace, image, source.equals("server"), pilotJar, downloader, cpu, memory,
                nodeSelector(site), serviceAccount, pullSecret, ttl, timeLimit, site.string("jvm-options", ""),
                serverUrl, kubeconfig, masterUrl, tokenFile, caFile);
    }

    /** The Job's {@code activeDeadlineSeconds}, if the site has a time limit. */
    OptionalLong deadlineSeconds() {
        return timeLimit.map(limit -> OptionalLong.of(limit.toSeconds())).orElse(OptionalLong.empty());
    }

    /** {@code k=v,k2=v2}, each key a label name (with an optional DNS prefix) and each value a label value. */
    private static Map<String, String> nodeSelector(SiteConfig site) {
        var selector = new LinkedHashMap<String, String>();
        var text = site.optional("node-selector");
        if (text.isEmpty()) {
            return Map.of();
        }
        for (String pair : text.get().split(",", -1)) {
            String[] parts = pair.strip().split("=", -1);
            if (parts.length != 2 || !labelKey(parts[0].strip()) || !LABEL_VALUE.matcher(parts[1].strip()).matches()
                    || selector.containsKey(parts[0].strip())) {
                throw bad(site, "node-selector", "label pairs such as disktype=ssd,kubernetes.io/arch=amd64",
                        text.get());
            }
            selector.put(parts[0].strip(), parts[1].strip());
        }
        return Collections.unmodifiableMap(selector);
    }

    private static boolean labelKey(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return LABEL_NAME.matcher(key).matches();
        }
        return DNS_SUBDOMAIN.matcher(key.substring(0, slash)).matches()
                && LABEL_NAME.matcher(key.substring(slash + 1)).matches();
    }

    private static String matching(SiteConfig site, String key, String otherwise, Pattern pattern, String what) {
        return optionalMatching(site, key, pattern, what).orElse(otherwise);
    }

    private static Optional<String> optionalMatching(SiteConfig site, String key, Pattern pattern, String what) {
        var value = site.optional(key);
        if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
            throw bad(site, key, what, value.get());
        }
        return value;
    }

    private static IllegalArgumentException bad(SiteConfig site, String key, String what, String value) {
        return new IllegalArgumentException("site " + site.name() + ": the setting '" + key + "' must be " + what
                + ", not '" + value + "'");
    }
}
