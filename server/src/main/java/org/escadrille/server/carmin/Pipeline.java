package org.escadrille.server.carmin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** CARMIN's pipeline: an application of the catalogue, identified as VIP does by {@code name/version}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Pipeline(String identifier, String name, String version, String description, boolean canExecute,
                List<Parameter> parameters, Map<String, String> properties) {

    /**
     * An input (by its Boutiques id, the key of {@code inputValues}) or an output ({@code isReturnedValue},
     * the key of {@code returnedFiles}). {@code defaultValue} is always there, null when there is none:
     * VIP's client reads it for every required parameter.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Parameter(String name, String type, boolean isOptional, boolean isReturnedValue,
                     @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode defaultValue, String description) {
    }
}
