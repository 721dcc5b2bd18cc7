package org.escadrille.server.backend.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.PilotLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pilots as Kubernetes Jobs in one namespace, one Job and one Secret (its token) per pilot. The API
 * server is the only state: the pilots of this site are the Jobs that carry its labels, so a restart
 * of the server loses nothing. Errors carry the API server's own message ({@code exceeded quota},
 * {@code Forbidden}, an invalid field), never the client's stack trace nor a token.
 */
public final class KubernetesBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(KubernetesBackend.class);

    /** One rule of the namespace's RBAC that this backend needs: an API group, a resource, its verbs. */
    public record Permission(String apiGroup, String resource, List<String> verbs) {
        public Permission {
            verbs = List.copyOf(verbs);
        }
    }

    /**
     * Every call this class makes, as RBAC rules in its namespace: the server's Role in
     * {@code deploy/kubernetes} is tested to grant them. Reading the namespace itself in
     * {@link #check()} is cluster-wide and optional, so it is not among them.
     */
    public static final List<Permission> PERMISSIONS = List.of(
            new Permission("batch", "jobs", List.of("create", "list", "delete")),
            new Permission("", "secrets", List.of("create", "patch", "delete")),
            // watch: reading a log first waits (here: not at all) for the pod to be ready, which fabric8 does with a watch.
            new Permission("", "pods", List.of("list", "watch")),
            new Permission("", "pods/log", List.of("get")));

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final PilotJobs jobs;

    KubernetesBackend(KubernetesClient client, String site, KubernetesSettings settings) {
        this.client = client;
        this.settings = settings;
        this.jobs = new PilotJobs(site, settings);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    /**
     * Creates the Secret, then the Job, then makes the Job the Secret's owner, so that Kubernetes
     * deletes the Secret with the Job (after {@code ttl-after-finished}). If any step is refused,
     * what was created is deleted again: no orphan Secret holds a token.
     */
    @Override
    public void submit(PilotLaunch launch) throws IOException {
        String name = jobs.jobName(launch.pilotId());
        Secret secret;
        try {
            secret = client.secrets().inNamespace(settings.namespace()).resource(jobs.secret(launch)).create();
        } catch (KubernetesClientException e) {
            throw refused("create the Secret " + name, e);
        }
        try {
            Job job = client.batch().v1().jobs().inNamespace(settings.namespace()).resource(jobs.job(launch)).create();
            String owner = """
                    {"metadata":{"ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"%s","uid":"%s",\
                    "blockOwnerDeletion":false,"controller":false}]}}""".formatted(name, job.getMetadata().getUid());
            // Patching the object in hand, not by name: by name, the client would GET the Secret first,
            // and reading Secrets is a right this backend does not need.
            client.secrets().inNamespace(settings.namespace()).resource(secret)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), owner);
        } catch (KubernetesClientException e) {
            delete(name);
            throw refused("create the Job " + name, e);
        }
        log.info("submitted Kubernetes pilot {} as Job {} in namespace {}", launch.pilotId(), name, settings.namespace());
    }

    /** The pilots whose Job has neither completed nor failed (nor is being deleted). */
    @Override
    public Set<String> active() {
        try {
            return client.batch().v1().jobs().inNamespace(settings.namespace()).withLabels(jobs.siteLabels()).list()
                    .getItems().stream()
                    .filter(KubernetesBackend::isActive)
                    .map(job -> pilotId(job.getMetadata()))
                    .flatMap(Optional::stream)
                    .collect(Collectors.toUnmodifiableSet());
        } catch (KubernetesClientException e) {
            // Not an empty set: the factory would take every pilot for gone and submit new ones.
            throw new UncheckedIOException(refused("list the Jobs", e));
        }
    }

    static boolean isActive(Job job) {
        if (job.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        var status = job.getStatus();
        if (status == null) {
            return true;
        }
        boolean finished = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(condition -> "True".equals(condition.getStatus())
                        && ("Complete".equals(condition.getType()) || "Failed".equals(condition.getType())));
        return !finished && positive(status.getSucceeded()) == 0 && positive(status.getFailed()) == 0;
    }

    @Override
    public void cancel(String pilotId) {
        delete(jobs.jobName(pilotId));
    }

    /** The tail of the log of the pilot's latest pod: its pilot container, or the download that failed before it. */
    @Override
    public Optional<String> log(String pilotId, int maxBytes) {
        try {
            var pod = client.pods().inNamespace(settings.namespace()).withLabels(jobs.labels(pilotId)).list()
                    .getItems().stream()
                    .max(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp(),
                            Comparator.nullsFirst(Comparator.naturalOrder())));
            if (pod.isEmpty()) {
                return Optional.empty();
            }
            String podName = pod.get().getMetadata().getName();
            var problem = PodProblems.of(pod.get());
            if (problem.isPresent()) {
                // The pilot never started: why is all there is to read.
                return Optional.of("pod " + podName + ": " + problem.get());
            }
            // Enough lines for maxBytes of short lines; the bytes are cut below.
            int lines = Math.max(100, maxBytes / 20);
            String text;
            try {
                text = client.pods().inNamespace(settings.namespace()).withName(podName)
                        // Never wait for the pod to be ready (a watch): the log of a pilot that died is read as it is.
                        .inContainer(PilotJobs.PILOT_CONTAINER).withReadyWaitTimeout(0).tailingLines(lines).getLog();
            } catch (KubernetesClientException e) {
                if (!settings.pilotJarFromServer()) {
                    throw e;
                }
                // The pilot container never started: the jar's download is what failed.
                text = client.pods().inNamespace(settings.namespace()).withName(podName)
                        .inContainer(PilotJobs.DOWNLOAD_CONTAINER).tailingLines(lines).getLog();
            }
            return Optional.ofNullable(text).map(all -> tail(all, maxBytes));
        } catch (KubernetesClientException e) {
            log.info("no log for Kubernetes pilot {}: {}", pilotId, message(e));
            return Optional.empty();
        }
    }

    /**
     * The API answers, the namespace exists, this site may list its Jobs there, and none of its pilots'
     * pods is stuck (an image that cannot be pulled, a node selector no node matches).
     */
    @Override
    public void check() throws IOException {
        try {
            if (client.namespaces().withName(settings.namespace()).get() == null) {
                throw new IOException("the namespace " + settings.namespace() + " does not exist");
            }
        } catch (KubernetesClientException e) {
            // A namespaced Role cannot grant reading namespaces: listing Jobs below is the check then.
            if (e.getCode() != 403) {
                throw new IOException("Kubernetes could not read the namespace " + settings.namespace() + ": "
                        + message(e));
            }
        }
        List<Pod> pods;
        try {
            client.batch().v1().jobs().inNamespace(settings.namespace()).withLabels(jobs.siteLabels()).list();
            pods = client.pods().inNamespace(settings.namespace()).withLabels(jobs.siteLabels()).list().getItems();
        } catch (KubernetesClientException e) {
            throw refused("list the Jobs and pods", e);
        }
        for (Pod pod : pods) {
            var problem = PodProblems.of(pod);
            if (problem.isPresent()) {
                throw new IOException("the pilot pod " + pod.getMetadata().getName() + " in namespace "
                        + settings.namespace() + " cannot start: " + problem.get());
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Deletes the Job (its pods in the background) and the Secret; either may already be gone. */
    private void delete(String name) {
        try {
            client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            log.warn("could not delete the Kubernetes Job {}: {}", name, message(e));
        }
        try {
            client.secrets().inNamespace(settings.namespace()).withName(name).delete();
        } catch (KubernetesClientException e) {
            log.warn("could not delete the Kubernetes Secret {}: {}", name, message(e));
        }
    }

    private static Optional<String> pilotId(ObjectMeta metadata) {
        return Optional.ofNullable(metadata.getAnnotations()).map(annotations -> annotations.get(PilotJobs.PILOT_ANNOTATION));
    }

    private static int positive(Integer count) {
        return count == null ? 0 : Math.max(0, count);
    }

    private IOException refused(String what, KubernetesClientException e) {
        return new IOException("Kubernetes could not " + what + " in namespace " + settings.namespace() + ": "
                + message(e));
    }

    /** The API server's own words (its Status), else the client's message without its cause's stack. */
    static String message(KubernetesClientException e) {
        var status = e.getStatus();
        if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
            String reason = status.getReason() == null || status.getReason().isBlank() ? "" : " " + status.getReason();
            return status.getMessage() + " (" + e.getCode() + reason + ")";
        }
        // No answer at all: what the client tried, and its causes (a refused connection, an unknown
        // host, a certificate it does not trust) by class, since the JDK often leaves them without a message.
        String tried = e.getMessage() == null ? "no answer from the API server." : e.getMessage();
        var causes = new StringBuilder(tried);
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            causes.append(causes.charAt(causes.length() - 1) == '.' ? " " : ": ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null && !tried.contains(cause.getMessage())) {
                causes.append(" (").append(cause.getMessage()).append(')');
            }
        }
        return causes.toString();
    }

    private static String tail(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        return new String(bytes, bytes.length - maxBytes, maxBytes, StandardCharsets.UTF_8);
    }
}
