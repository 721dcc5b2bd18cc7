package org.escadrille.server.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Why a pilot's pod cannot start, in the kubelet's and the scheduler's own words: a bad image name
 * or one that cannot be pulled is accepted by the API server and only shows here, as does a node
 * selector that no node matches. A Job in that state stays active until its deadline, so an operator
 * must be told ({@code check()}, {@code log()}).
 */
final class PodProblems {
    /** Waiting reasons that do not go away by waiting. */
    private static final Set<String> STUCK = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private PodProblems() {
    }

    static Optional<String> of(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        var containers = Stream.concat(
                status.getInitContainerStatuses() == null ? Stream.empty() : status.getInitContainerStatuses().stream(),
                status.getContainerStatuses() == null ? Stream.empty() : status.getContainerStatuses().stream());
        var stuck = containers.filter(PodProblems::stuck).findFirst().map(container -> "container "
                + container.getName() + ": " + container.getState().getWaiting().getReason()
                + message(container.getState().getWaiting().getMessage()));
        if (stuck.isPresent() || status.getConditions() == null) {
            return stuck;
        }
        return status.getConditions().stream()
                .filter(condition -> "PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
                        && "Unschedulable".equals(condition.getReason()))
                .findFirst()
                .map(condition -> "not scheduled" + message(condition.getMessage()));
    }

    private static boolean stuck(ContainerStatus container) {
        return container.getState() != null && container.getState().getWaiting() != null
                && STUCK.contains(container.getState().getWaiting().getReason());
    }

    private static String message(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}
