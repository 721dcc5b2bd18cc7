package org.escadrille.boutiques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.escadrille.boutiques.invocation.InvocationValidator;
import org.escadrille.boutiques.json.JsonDocuments;
import org.escadrille.boutiques.render.CommandLineRenderer;
import org.escadrille.boutiques.sweep.SweepExpander;
import org.escadrille.boutiques.sweep.SweepStrategy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Thousands of random mutations of the shared descriptors and invocations (fields deleted, replaced,
 * retyped, renamed; hostile strings; deep nesting; nulls; corrupted text) never crash validation,
 * rendering or sweep expansion: only results or the declared exceptions come out. The seed is fixed
 * (override with -Dboutiques.fuzz.seed) and printed in any failure so that it reproduces.
 */
class RandomMutationFuzzTest {

    private static final long SEED = Long.getLong("boutiques.fuzz.seed", 20261125L);
    private static final int ITERATIONS = Integer.getInteger("boutiques.fuzz.iterations", 10000);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] STRINGS = {"", " ", "'", "\"", "'; rm -rf / #", "$(id)", "`id`", "a b", "\n",
        "default", "x > 1", "opt1 and (opt2 > 10)", "a>", "((", ")", "..", "/", "*", "[", "ünïcødé", "1.5", "-3",
        "True", "not", "String", "Flag", "0", "docker", "rootfs", "0.5", "\\", "%s", "a,b", "--flag"};
    private static final String[] FIELDS = {"id", "name", "type", "value-key", "list", "optional",
        "command-line-flag", "command-line-flag-separator", "list-separator", "default-value", "value-choices",
        "requires-inputs", "disables-inputs", "value-requires", "value-disables", "integer", "minimum", "maximum",
        "exclusive-minimum", "exclusive-maximum", "min-list-entries", "max-list-entries", "uses-absolute-path",
        "path-template", "conditional-path-template", "path-template-stripped-extensions", "file-template",
        "members", "mutually-exclusive", "one-is-required", "all-or-none", "groups", "inputs", "output-files",
        "invocation-schema", "environment-variables", "container-image", "image", "index", "tests", "enum",
        "required", "properties", "anyOf", "not", "dependencies", "minItems", "$ref"};

    @Test
    void randomMutationsNeverCrashValidationRenderingOrSweeps() throws IOException {
        Optional<Path> specs = SpecsFolder.locate();
        assumeTrue(specs.isPresent(), SpecsFolder.MISSING);
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(specs.get())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json") && !f.endsWith("cases.json")).toList()) {
                try {
                    documents.add(JsonDocuments.parse(Files.readString(p)));
                } catch (JsonDocuments.MalformedJsonException e) {
                    // the deliberately malformed files are covered by the conformance test
                }
            }
        }
        List<JsonNode> descriptors = documents.stream().filter(d -> d.has("command-line")).toList();
        List<JsonNode> invocations = documents.stream().filter(d -> !d.has("command-line")).toList();
        // Pairs bosh accepted: mutating these reaches the renderer far more often than random pairs do.
        List<JsonNode[]> accepted = new ArrayList<>();
        for (JsonNode c : JsonDocuments.parse(Files.readString(specs.get().resolve("cases.json")))) {
            if (c.get("valid").booleanValue() && c.has("invocation")) {
                accepted.add(new JsonNode[] {
                    JsonDocuments.parse(Files.readString(specs.get().resolve(c.get("descriptor").stringValue()))),
                    JsonDocuments.parse(Files.readString(specs.get().resolve(c.get("invocation").stringValue())))});
            }
        }
        Random random = new Random(SEED);
        long start = System.nanoTime();
        int rendered = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            JsonNode descriptor;
            JsonNode invocation;
            if (random.nextBoolean()) {
                JsonNode[] pair = accepted.get(random.nextInt(accepted.size()));
                descriptor = random.nextInt(10) < 3 ? mutate(pair[0].deepCopy(), random, 1) : pair[0].deepCopy();
                invocation = random.nextInt(10) < 8 ? mutate(pair[1].deepCopy(), random, 1 + random.nextInt(3))
                        : pair[1].deepCopy();
            } else {
                descriptor = mutate(descriptors.get(random.nextInt(descriptors.size())).deepCopy(), random,
                        1 + random.nextInt(4));
                invocation = mutate(invocations.get(random.nextInt(invocations.size())).deepCopy(), random,
                        random.nextInt(4));
            }
            String text = random.nextInt(20) == 0 ? corrupt(JsonDocuments.write(descriptor), random) : null;
            try {
                rendered += exercise(descriptor, invocation, text) ? 1 : 0;
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + SEED + ", iteration " + i + ": " + e + "\ndescriptor: " + abbreviate(descriptor)
                        + "\ninvocation: " + abbreviate(invocation), e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fuzz: %d mutations (seed %d) in %.1f s, %d rendered%n", ITERATIONS, SEED, seconds, rendered);
        assertThat(rendered).as("some mutations must still render, or the fuzz tests nothing")
                .isGreaterThan(ITERATIONS / 20);
    }

    private static boolean exercise(JsonNode descriptorJson, JsonNode invocation, String corruptedText) {
        Descriptor descriptor;
        try {
            descriptor = corruptedText != null ? Descriptor.parse(corruptedText) : Descriptor.fromJson(descriptorJson);
        } catch (InvalidDescriptorException e) {
            assertThat(e.problems()).isNotEmpty();
            return false;
        }
        descriptor.sha256();
        InvocationValidator.validate(descriptor, invocation);
        boolean rendered = false;
        try {
            assertThat(CommandLineRenderer.render(descriptor, invocation, "/base").commandLine()).isNotNull();
            rendered = true;
        } catch (InvalidInvocationException e) {
            assertThat(e.problems()).isNotEmpty();
        }
        try {
            for (SweepStrategy strategy : SweepStrategy.values()) {
                SweepExpander.expand(descriptor, invocation, strategy);
            }
        } catch (InvalidInvocationException e) {
            assertThat(e.problems()).isNotEmpty();
        }
        return rendered;
    }

    private static JsonNode mutate(JsonNode root, Random random, int times) {
        JsonNode current = root;
        for (int t = 0; t < times; t++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(current, containers, 0);
            if (containers.isEmpty() || random.nextInt(25) == 0) {
                current = randomValue(random, 0);
                continue;
            }
            JsonNode target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode object) {
                mutateObject(object, random);
            } else if (target instanceof ArrayNode array) {
                mutateArray(array, random);
            }
        }
        return current;
    }

    private static void mutateObject(ObjectNode object, Random random) {
        List<String> keys = new ArrayList<>(object.propertyNames());
        int action = random.nextInt(6);
        if (keys.isEmpty() || action == 0) {
            object.set(FIELDS[random.nextInt(FIELDS.length)], randomValue(random, 0));
            return;
        }
        String key = keys.get(random.nextInt(keys.size()));
        switch (action) {
            case 1 -> object.remove(key);
            case 2 -> object.set(key, randomValue(random, 0));
            case 3 -> object.set(key, retype(object.get(key), random));
            case 4 -> {
                JsonNode value = object.remove(key);
                object.set(random.nextBoolean() ? key + "x" : FIELDS[random.nextInt(FIELDS.length)], value);
            }
            default -> object.set(key, F.nullNode());
        }
    }

    private static void mutateArray(ArrayNode array, Random random) {
        int action = random.nextInt(4);
        if (array.isEmpty() || action == 0) {
            array.add(randomValue(random, 0));
        } else if (action == 1) {
            array.remove(random.nextInt(array.size()));
        } else if (action == 2) {
            array.add(array.get(random.nextInt(array.size())).deepCopy());
        } else {
            array.set(random.nextInt(array.size()), randomValue(random, 0));
        }
    }

    private static JsonNode retype(JsonNode value, Random random) {
        if (value.isString()) {
            return random.nextBoolean() ? F.numberNode(value.stringValue().length()) : F.arrayNode().add(value);
        }
        if (value.isNumber() || value.isBoolean()) {
            return F.stringNode(value.asString());
        }
        if (value.isArray()) {
            return value.isEmpty() ? F.objectNode() : value.get(0);
        }
        return F.stringNode(value.toString());
    }

    private static JsonNode randomValue(Random random, int depth) {
        return switch (depth > 3 ? random.nextInt(6) : random.nextInt(10)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(random.nextBoolean());
            case 2 -> F.numberNode(random.nextInt(21) - 10);
            case 3 -> F.numberNode(new double[] {0.5, -1.25, 1e-7, 1e300, -0.0, 2.0}[random.nextInt(6)]);
            case 4, 5 -> F.stringNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 6 -> {
                ArrayNode a = F.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomValue(random, depth + 1));
                }
                yield a;
            }
            case 7 -> {
                ObjectNode o = F.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    o.set(FIELDS[random.nextInt(FIELDS.length)], randomValue(random, depth + 1));
                }
                yield o;
            }
            case 8 -> deepNesting(random.nextInt(300));
            default -> F.numberNode(new BigInteger("123456789012345678901234567890"));
        };
    }

    private static JsonNode deepNesting(int depth) {
        JsonNode node = F.stringNode("bottom");
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? F.arrayNode().add(node) : F.objectNode().set("not", node);
        }
        return node;
    }

    private static String corrupt(String text, Random random) {
        int at = random.nextInt(text.length() + 1);
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + "\",}]{[" .charAt(random.nextInt(6)) + text.substring(at);
            default -> text + "garbage";
        };
    }

    private static void collect(JsonNode node, List<JsonNode> out, int depth) {
        if (depth > 12 || !node.isContainer()) {
            return;
        }
        out.add(node);
        for (JsonNode child : node) {
            collect(child, out, depth + 1);
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = JsonDocuments.write(node);
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }
}
