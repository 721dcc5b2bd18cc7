package org.escadrille.server.carmin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalogue as CARMIN's pipelines. Their properties are the descriptors' Boutiques {@code tags}
 * (a list becomes its values joined by commas, {@code true} the word itself).
 */
@Component
class CarminPipelines {
    private final Catalog catalog;
    private final JsonMapper json;

    CarminPipelines(Catalog catalog, JsonMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    /** The newest version of each application, those with the property (equal to the value, if one is given). */
    List<Pipeline> list(String property, String propertyValue, Account viewer) {
        if (propertyValue != null && property == null) {
            throw new InvalidRequestException("Invalid filter", "propertyValue needs property: name the property to compare");
        }
        var pipelines = new ArrayList<Pipeline>();
        for (Application app : catalog.latestOfEach(viewer)) {
            var pipeline = pipeline(app, false);
            String value = property == null ? null : pipeline.properties().get(property);
            if (property == null || value != null && (propertyValue == null || List.of(value.split(",")).contains(propertyValue))) {
                pipelines.add(pipeline);
            }
        }
        return pipelines;
    }

    /** A pipeline by {@code name/version} (or {@code name}: its newest version). */
    Pipeline find(String identifier, Account viewer) {
        return pipeline(application(identifier, viewer), true);
    }

    Application application(String identifier, Account viewer) {
        if (identifier == null || identifier.isBlank()) {
            throw new InvalidRequestException("Invalid pipeline", "name the pipeline as name/version (GET /rest/pipelines lists them)");
        }
        int slash = identifier.lastIndexOf('/');
        return slash < 0 ? catalog.find(identifier, null, viewer)
                : catalog.find(identifier.substring(0, slash), identifier.substring(slash + 1), viewer);
    }

    JsonNode descriptor(String identifier, Account viewer) {
        return json.readTree(application(identifier, viewer).descriptorJson());
    }

    /** The descriptor of a version an execution ran, whoever reads the execution. */
    JsonNode descriptorRanBy(String name, String version) {
        return json.readTree(catalog.ranBy(name, version).descriptorJson());
    }

    /** Every property some public pipeline has: what {@code ?property=} may name (the platform's page is open to all). */
    List<String> supportedProperties() {
        var names = new TreeSet<String>();
        catalog.latestOfEach(null).forEach(app -> names.addAll(properties(json.readTree(app.descriptorJson())).keySet()));
        return List.copyOf(names);
    }

    static String identifier(String name, String version) {
        return name + "/" + version;
    }

    private Pipeline pipeline(Application app, boolean withParameters) {
        JsonNode descriptor = json.readTree(app.descriptorJson());
        return new Pipeline(identifier(app.name(), app.version()), app.name(), app.version(),
                descriptor.path("description").asString(""), true, withParameters ? parameters(descriptor) : null,
                properties(descriptor));
    }

    private static List<Pipeline.Parameter> parameters(JsonNode descriptor) {
        var parameters = new ArrayList<Pipeline.Parameter>();
        for (JsonNode input : descriptor.path("inputs")) {
            parameters.add(new Pipeline.Parameter(input.path("id").asString(), type(input), input.path("optional").asBoolean(false),
                    false, input.get("default-value"), description(input)));
        }
        for (JsonNode output : descriptor.path("output-files")) {
            parameters.add(new Pipeline.Parameter(output.path("id").asString(), "File", output.path("optional").asBoolean(false),
                    true, null, description(output)));
        }
        return parameters;
    }

    private static String description(JsonNode parameter) {
        String name = parameter.path("name").asString("");
        String description = parameter.path("description").asString("");
        return description.isEmpty() ? name : name.isEmpty() ? description : name + ": " + description;
    }

    private static String type(JsonNode input) {
        return switch (input.path("type").asString("")) {
            case "File" -> "File";
            case "Flag" -> "Boolean";
            case "Number" -> input.path("integer").asBoolean(false) ? "Int64" : "Double";
            default -> "String";
        };
    }

    static Map<String, String> properties(JsonNode descriptor) {
        var properties = new LinkedHashMap<String, String>();
        for (var tag : descriptor.path("tags").properties()) {
            JsonNode value = tag.getValue();
            if (value.isBoolean()) {
                if (value.asBoolean()) {
                    properties.put(tag.getKey(), "true");
                }
            } else if (value.isArray()) {
                properties.put(tag.getKey(), StreamSupport.stream(value.spliterator(), false).map(JsonNode::asString)
                        .collect(Collectors.joining(",")));
            } else {
                properties.put(tag.getKey(), value.asString());
            }
        }
        return properties;
    }
}
