package org.escadrille.boutiques;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.escadrille.boutiques.json.CanonicalJson;
import org.escadrille.boutiques.json.JsonDocuments;
import org.escadrille.boutiques.validation.DescriptorValidator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated Boutiques descriptor: typed fields for what the gateway uses, and the raw JSON (a private
 * copy) for everything else. Only {@link #parse} and {@link #fromJson} make one, and both refuse a
 * descriptor that bosh would refuse.
 */
public record Descriptor(ObjectNode json, String name, String toolVersion, String description, String commandLine,
        String schemaVersion, String author, String shell, List<Input> inputs, List<OutputFile> outputFiles,
        List<Group> groups, ContainerImage containerImage, List<EnvironmentVariable> environmentVariables,
        List<ErrorCode> errorCodes, List<DescriptorTest> tests, SuggestedResources suggestedResources,
        JsonNode tags, JsonNode custom, JsonNode invocationSchema) {

    public Descriptor {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(commandLine, "commandLine");
        json = json.deepCopy();
        inputs = List.copyOf(inputs);
        outputFiles = List.copyOf(outputFiles);
        groups = List.copyOf(groups);
        environmentVariables = List.copyOf(environmentVariables);
        errorCodes = List.copyOf(errorCodes);
        tests = List.copyOf(tests);
    }

    /** Parses and validates descriptor text. @throws InvalidDescriptorException with every problem found */
    public static Descriptor parse(String jsonText) {
        JsonNode node;
        try {
            node = JsonDocuments.parse(jsonText);
        } catch (JsonDocuments.MalformedJsonException e) {
            throw new InvalidDescriptorException(List.of(new Problem("", e.getMessage())));
        }
        return fromJson(node);
    }

    /** Validates a parsed descriptor. @throws InvalidDescriptorException with every problem found */
    public static Descriptor fromJson(JsonNode node) {
        List<Problem> problems = DescriptorValidator.validate(node);
        if (!problems.isEmpty()) {
            throw new InvalidDescriptorException(problems);
        }
        ObjectNode d = (ObjectNode) node;
        ContainerImage container = d.has("container-image") ? ContainerImage.fromJson(d.get("container-image")) : null;
        return new Descriptor(d, Fields.text(d, "name"), Fields.text(d, "tool-version"), Fields.text(d, "description"),
                Fields.text(d, "command-line"), Fields.text(d, "schema-version"), Fields.text(d, "author"),
                Fields.text(d, "shell"), map(d, "inputs", Input::fromJson), map(d, "output-files", OutputFile::fromJson),
                map(d, "groups", Group::fromJson), container, map(d, "environment-variables", e -> new EnvironmentVariable(
                        Fields.text(e, "name"), Fields.text(e, "value"), Fields.text(e, "description"))),
                map(d, "error-codes", e -> new ErrorCode(e.get("code").bigIntegerValue().longValue(),
                        Fields.text(e, "description"))),
                map(d, "tests", Descriptor::test), resources(d.get("suggested-resources")), Fields.node(d, "tags"),
                Fields.node(d, "custom"), Fields.node(d, "invocation-schema"));
    }

    /** The input with this id. */
    public Optional<Input> input(String id) {
        return inputs.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    /** The output file with this id. */
    public Optional<OutputFile> outputFile(String id) {
        return outputFiles.stream().filter(o -> o.id().equals(id)).findFirst();
    }

    /** The raw JSON, a fresh copy the caller may change. */
    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** Canonical JSON text: sorted keys, no insignificant whitespace (see {@link CanonicalJson}). */
    public String canonicalJson() {
        return CanonicalJson.write(json);
    }

    /** SHA-256 (lower-case hex) of the canonical JSON: a published descriptor's identity. */
    public String sha256() {
        return CanonicalJson.sha256(json);
    }

    private static <T> List<T> map(JsonNode d, String field, Function<JsonNode, T> reader) {
        List<T> out = new ArrayList<>();
        JsonNode array = d.get(field);
        if (array != null && array.isArray()) {
            array.forEach(item -> out.add(reader.apply(item)));
        }
        return out;
    }

    private static DescriptorTest test(JsonNode t) {
        JsonNode assertions = t.get("assertions");
        JsonNode exit = assertions.get("exit-code");
        List<DescriptorTest.OutputAssertion> outputs = new ArrayList<>();
        for (JsonNode o : Fields.nodes(assertions, "output-files")) {
            outputs.add(new DescriptorTest.OutputAssertion(Fields.text(o, "id"), Fields.text(o, "md5-reference")));
        }
        return new DescriptorTest(Fields.text(t, "name"), t.get("invocation").deepCopy(),
                exit != null && exit.canConvertToLong() ? exit.longValue() : null, outputs);
    }

    private static SuggestedResources resources(JsonNode r) {
        if (r == null) {
            return null;
        }
        return new SuggestedResources(longOrNull(r.get("cpu-cores")), Fields.number(r, "ram"),
                Fields.number(r, "disk-space"), longOrNull(r.get("nodes")), Fields.number(r, "walltime-estimate"));
    }

    private static Long longOrNull(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.longValue() : null;
    }
}
