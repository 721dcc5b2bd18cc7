package org.escadrille.server.carmin;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * CARMIN's specification ({@code carmin.yaml}) for the tests: its operations, and a validator of
 * requests and answers against it. One change is made to the text read: the Boutiques descriptor's
 * schema is a reference to a web address (no network here, and not CARMIN's to define), so it is read
 * as "an object".
 */
final class CarminSpec {
    private static final String REMOTE_DESCRIPTOR_SCHEMA =
            "$ref: 'http://raw.githubusercontent.com/boutiques/boutiques/0.5.8/tools/python/boutiques/schema/descriptor.schema.json'";
    private static CarminSpec loaded;

    private final String text;
    private final OpenApiInteractionValidator validator;
    private final List<Operation> operations;

    /** One operation of the specification: its method and its path template ({@code GET /executions/{executionIdentifier}}). */
    record Operation(String method, String path) implements Comparable<Operation> {
        static Operation parse(String text) {
            String[] parts = text.strip().split("\\s+");
            return new Operation(parts[0].toUpperCase(Locale.ROOT), parts[1]);
        }

        Pattern pattern() {
            String regex = Pattern.quote(path).replace("{completePath}", "\\E.+\\Q").replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            return Pattern.compile(regex);
        }

        int literalLength() {
            return path.replaceAll("\\{[^}]+}", "").length();
        }

        @Override
        public int compareTo(Operation other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private CarminSpec(String text) {
        if (!text.contains(REMOTE_DESCRIPTOR_SCHEMA)) {
            throw new IllegalStateException("carmin.yaml changed: its Boutiques descriptor schema is no longer " + REMOTE_DESCRIPTOR_SCHEMA);
        }
        this.text = text.replace(REMOTE_DESCRIPTOR_SCHEMA, "type: object");
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(this.text)
                // formats the specification names but JSON Schema does not define ("ascii", "url")
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.schema.unknownFormat", ValidationReport.Level.IGNORE)
                        // the validator forbids properties a schema does not list, which OpenAPI allows unless a
                        // schema says otherwise (carmin.yaml never does); VIP's answers add some (a Path's "path")
                        .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                        .build())
                .build();
        var found = new TreeSet<Operation>();
        var api = new OpenAPIV3Parser().readContents(this.text).getOpenAPI();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> found.add(new Operation(method.name(), path))));
        this.operations = List.copyOf(found);
    }

    /** The specification, read once; empty (the test is skipped) where ../shared/specs is absent. */
    static synchronized Optional<CarminSpec> load() {
        if (loaded == null) {
            var yaml = SharedSpecs.carminYaml();
            if (yaml.isEmpty()) {
                return Optional.empty();
            }
            try {
                loaded = new CarminSpec(Files.readString(yaml.get()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(loaded);
    }

    String text() {
        return text;
    }

    List<Operation> operations() {
        return operations;
    }

    OpenApiInteractionValidator validator() {
        return validator;
    }

    /** The operation a path of the API (without {@code /rest}) and a method are, the most specific one. */
    Optional<Operation> operation(String method, String path) {
        var candidates = new ArrayList<Operation>();
        for (var operation : operations) {
            if (operation.method().equals(method) && operation.pattern().matcher(path).matches()) {
                candidates.add(operation);
            }
        }
        return candidates.stream().max(Comparator.comparingInt(Operation::literalLength));
    }
}
