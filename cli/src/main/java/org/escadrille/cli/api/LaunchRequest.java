package org.escadrille.cli.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/executions}: {@code inputs} maps input ids to values, a list where
 * one value is expected being a sweep; the optional fields are left out when null ({@code cache}: false
 * runs every task, even those whose outputs the task cache has).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchRequest(String app, String version, String name, JsonNode inputs, String iterate, String split,
                            Integer tasks, String replay, Integer priority, Boolean cache) {
    public LaunchRequest {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(inputs, "inputs");
    }

    public LaunchRequest(String app, String version, String name, JsonNode inputs, String iterate) {
        this(app, version, name, inputs, iterate, null, null, null, null);
    }

    /** A launch that uses the task cache. */
    public LaunchRequest(String app, String version, String name, JsonNode inputs, String iterate, String split,
                         Integer tasks, String replay, Integer priority) {
        this(app, version, name, inputs, iterate, split, tasks, replay, priority, null);
    }
}
