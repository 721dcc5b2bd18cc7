package org.escadrille.cli.launch;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The inputs of a launch by input id, in the order given, before their local files are uploaded. */
public record LaunchInputs(Map<String, InputValues> inputs) {
    public LaunchInputs {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** Every local file or directory to upload, each once. */
    public Set<Path> localFiles() {
        Set<Path> files = new LinkedHashSet<>();
        inputs.values().forEach(given -> given.values().stream()
                .filter(InputValue.LocalFile.class::isInstance)
                .map(value -> ((InputValue.LocalFile) value).path())
                .forEach(files::add));
        return files;
    }

    /** The {@code inputs} object of the launch request, local files replaced by where they were stored. */
    public ObjectNode toJson(Map<Path, String> storedPaths) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode json = nodes.objectNode();
        inputs.forEach((id, given) -> {
            if (given.asList()) {
                ArrayNode list = json.putArray(id);
                given.values().forEach(value -> list.add(toJson(value, storedPaths)));
            } else {
                json.set(id, toJson(given.values().getFirst(), storedPaths));
            }
        });
        return json;
    }

    private static JsonNode toJson(InputValue value, Map<Path, String> storedPaths) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (value) {
            case InputValue.Text text -> nodes.stringNode(text.value());
            case InputValue.Literal literal -> literal.value();
            case InputValue.LocalFile file -> {
                String stored = storedPaths.get(file.path());
                if (stored == null) {
                    throw new IllegalStateException(file.path() + " was not uploaded");
                }
                yield nodes.stringNode(stored);
            }
        };
    }
}
