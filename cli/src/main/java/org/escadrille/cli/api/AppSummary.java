package org.escadrille.cli.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An application of the catalogue: its name, version and the inputs a launch may set. */
public record AppSummary(String name, String version, String description, String digest, List<Input> inputs,
        List<Output> outputs) {
    public AppSummary {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** One input of the descriptor; {@code type} is one of String, File, Number, Flag. */
    public record Input(String id, String name, String type, boolean optional, boolean list,
            @JsonProperty("default") Object defaultValue, List<String> choices, String description) {
        public boolean isFile() {
            return "File".equals(type);
        }
    }

    public record Output(String id, String name, boolean optional) {
    }
}
