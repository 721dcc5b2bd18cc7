package org.escadrille.server.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.server.backend.PilotLaunch;

/**
 * What a pilot is made of in Kubernetes: one Job (its pod runs {@code java -jar} on the pilot's jar)
 * and one Secret holding its registration token, which the pod reads through a
 * {@code secretKeyRef} so that the token never appears in the Job's spec. Names and labels are
 * derived from the site and the pilot id alone, so that cancelling needs no memory of submitting.
 */
final class PilotJobs {
    static final String APP_LABEL = "app.kubernetes.io/name";
    static final String APP = "escadrille-pilot";
    static final String SITE_LABEL = "escadrille.org/site";
    static final String PILOT_LABEL = "escadrille.org/pilot";
    /** The exact pilot id, which a label value may not be able to hold. */
    static final String PILOT_ANNOTATION = "escadrille.org/pilot-id";
    static final String TOKEN_KEY = "token";
    static final String PILOT_CONTAINER = "pilot";
    static final String DOWNLOAD_CONTAINER = "fetch-pilot-jar";
    static final String WORK_DIR = "/var/lib/escadrille/work";
    private static final String JAR_VOLUME = "pilot-jar";
    private static final String WORK_VOLUME = "work";
    private static final int MAX_NAME = 63;

    private final String site;
    private final KubernetesSettings settings;

    PilotJobs(String site, KubernetesSettings settings) {
        this.site = site;
        this.settings = settings;
    }

    /**
     * {@code escadrille-<site>-<pilot>} as a DNS-1123 label (a Job's name must be one, for its pods'
     * {@code job-name} label). The server's pilot ids have no dash, so such a name splits back into its
     * site and pilot at its last dash: no two pilots share one. Otherwise (a dash in the id, or
     * lower-casing, replacing characters or cutting to 63 changed it) a digest of the exact site and
     * pilot id ends the name instead.
     */
    String jobName(String pilotId) {
        String wanted = "escadrille-" + site + "-" + pilotId;
        String name = dnsLabel(wanted);
        if (name.equals(wanted) && name.length() <= MAX_NAME && pilotId.indexOf('-') < 0) {
            return name;
        }
        String digest = digest(site + "/" + pilotId);
        String head = name.substring(0, Math.min(name.length(), MAX_NAME - digest.length() - 1));
        return trimDashes(head) + "-" + digest;
    }

    /** The labels every object of this site carries; {@code active()} lists by them. */
    Map<String, String> siteLabels() {
        // In a fixed order, so that the label selectors sent are the same at every call.
        var labels = new LinkedHashMap<String, String>();
        labels.put(APP_LABEL, APP);
        labels.put(SITE_LABEL, labelValue(site));
        return labels;
    }

    Map<String, String> labels(String pilotId) {
        var labels = new LinkedHashMap<>(siteLabels());
        labels.put(PILOT_LABEL, labelValue(pilotId));
        return labels;
    }

    Secret secret(PilotLaunch launch) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(jobName(launch.pilotId()))
                .withLabels(labels(launch.pilotId()))
                .addToAnnotations(PILOT_ANNOTATION, launch.pilotId())
                .endMetadata()
                .withType("Opaque")
                .withStringData(Map.of(TOKEN_KEY, launch.token()))
                .build();
    }

    Job job(PilotLaunch launch) {
        String name = jobName(launch.pilotId());
        String jar = settings.pilotJarFromServer() ? KubernetesSettings.DEFAULT_PILOT_JAR : settings.pilotJar();
        String serverUrl = settings.serverUrl().orElse(launch.serverUrl());
        // The server's own PATH and directories mean nothing in the pod; the options the factory chose do.
        var inPod = new PilotLaunch(launch.pilotId(), launch.token(), serverUrl, launch.pilotJar(), launch.slots(),
                null, null, launch.options());
        var command = new ArrayList<String>(List.of("java"));
        if (!settings.jvmOptions().isBlank()) {
            command.addAll(List.of(settings.jvmOptions().strip().split("\\s+")));
        }
        String cpu = settings.cpu().orElse(Integer.toString(launch.slots()));
        var resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(settings.memory()))
                .addToLimits("cpu", new Quantity(cpu)).addToLimits("memory", new Quantity(settings.memory()))
                .build();
        var pilot = new ContainerBuilder()
                .withName(PILOT_CONTAINER)
                .withImage(settings.image())
                .withCommand(command)
                .withArgs(inPod.pilotArguments(jar, WORK_DIR))
                .withEnv(new EnvVarBuilder().withName(PilotProtocol.TOKEN_ENV)
                        .withNewValueFrom().withNewSecretKeyRef().withName(name).withKey(TOKEN_KEY).endSecretKeyRef()
                        .endValueFrom().build())
                .withResources(resources)
                .addToVolumeMounts(new VolumeMountBuilder().withName(WORK_VOLUME).withMountPath(WORK_DIR).build());
        var pod = new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withNodeSelector(settings.nodeSelector().isEmpty() ? null : settings.nodeSelector())
                .withServiceAccountName(settings.serviceAccount().orElse(null))
                // A pilot never calls the Kubernetes API, and its tasks run users' code: no API token
                // in the pod, and no environment variables naming the namespace's other Services.
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .addNewVolume().withName(WORK_VOLUME).withNewEmptyDir().endEmptyDir().endVolume();
        settings.imagePullSecret().ifPresent(secret -> pod.addToImagePullSecrets(new LocalObjectReference(secret)));
        if (settings.pilotJarFromServer()) {
            String directory = jar.substring(0, jar.lastIndexOf('/'));
            pilot.addToVolumeMounts(new VolumeMountBuilder().withName(JAR_VOLUME).withMountPath(directory).build());
            pod.addNewVolume().withName(JAR_VOLUME).withNewEmptyDir().endEmptyDir().endVolume();
            pod.addNewInitContainer()
                    .withName(DOWNLOAD_CONTAINER)
                    .withImage(settings.downloaderImage())
                    .withCommand("curl", "--fail", "--silent", "--show-error", "--location", "--retry", "5",
                            "--output", jar, stripSlash(serverUrl) + "/pilot.jar")
                    .addToVolumeMounts(new VolumeMountBuilder().withName(JAR_VOLUME).withMountPath(directory).build())
                    .endInitContainer();
        }
        pod.addToContainers(pilot.build());
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels(launch.pilotId()))
                .addToAnnotations(PILOT_ANNOTATION, launch.pilotId())
                .endMetadata()
                .withNewSpec()
                // A pilot that fails is not retried by Kubernetes: the factory decides whether to start another.
                .withBackoffLimit(0)
                .withTtlSecondsAfterFinished((int) settings.ttlAfterFinished().toSeconds())
                .withActiveDeadlineSeconds(settings.timeLimit().map(limit -> limit.toSeconds()).orElse(null))
                .withNewTemplate()
                .withNewMetadata().withLabels(labels(launch.pilotId())).endMetadata()
                .withSpec(pod.build())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A label value: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric; a digest ends it if it had to change. */
    static String labelValue(String text) {
        if (text.matches("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")) {
            return text;
        }
        String digest = digest(text);
        String cleaned = text.replaceAll("[^-A-Za-z0-9_.]", "-");
        String head = cleaned.substring(0, Math.min(cleaned.length(), MAX_NAME - digest.length() - 1))
                .replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return head.isEmpty() ? digest : head + "-" + digest;
    }

    private static String dnsLabel(String text) {
        return trimDashes(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-"));
    }

    private static String trimDashes(String text) {
        return text.replaceAll("^-+|-+$", "");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
