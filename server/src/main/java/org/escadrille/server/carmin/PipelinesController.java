package org.escadrille.server.carmin;

import java.util.List;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Pipelines: list (filtered by a property), show, and the Boutiques descriptor. An identifier holds a
 * slash ({@code sha256sum/9.1}), written as it is in the path as VIP's client does, so one route takes
 * the rest of the path and tells {@code …/boutiquesdescriptor} apart by its third segment.
 */
@RestController
class PipelinesController {
    private static final String DESCRIPTOR = "boutiquesdescriptor";
    private final CarminPipelines pipelines;

    PipelinesController(CarminPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @GetMapping("/rest/pipelines")
    List<Pipeline> list(@RequestParam(required = false) String studyIdentifier,
                        @RequestParam(required = false) String property,
                        @RequestParam(required = false) String propertyValue, @AuthenticationPrincipal Account account) {
        return pipelines.list(property, propertyValue, account);
    }

    /** {@code name/version} → the pipeline; {@code name/version/boutiquesdescriptor} → its descriptor. */
    @GetMapping("/rest/pipelines/{*pipelineIdentifier}")
    Object show(@PathVariable String pipelineIdentifier, @AuthenticationPrincipal Account account) {
        String identifier = pipelineIdentifier.startsWith("/") ? pipelineIdentifier.substring(1) : pipelineIdentifier;
        String[] segments = identifier.split("/", -1);
        if (segments.length == 3 && segments[2].equals(DESCRIPTOR)) {
            return pipelines.descriptor(segments[0] + "/" + segments[1], account);
        }
        if (segments.length > 2) {
            throw new NotFoundException("no pipeline " + identifier + ": identifiers are name/version, "
                    + "and name/version/" + DESCRIPTOR + " gives the descriptor");
        }
        return pipelines.find(identifier, account);
    }

    /**
     * The route carmin.yaml writes, taken only by an identifier without a version ({@code pi}: its newest);
     * {@code name/version/boutiquesdescriptor} goes through {@link #show}.
     */
    @GetMapping("/rest/pipelines/{pipelineIdentifier}/boutiquesdescriptor")
    JsonNode descriptor(@PathVariable String pipelineIdentifier, @AuthenticationPrincipal Account account) {
        return pipelines.descriptor(pipelineIdentifier, account);
    }
}
