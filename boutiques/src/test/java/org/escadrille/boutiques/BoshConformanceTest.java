package org.escadrille.boutiques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.escadrille.boutiques.json.JsonDocuments;
import org.escadrille.boutiques.render.RenderedInvocation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every case of {@code ../shared/specs/boutiques/cases.json} (answers of the reference implementation,
 * bosh): same accept/reject decision, and for accepted invocations the same command line and output
 * paths, byte for byte. Paths resolve from the descriptor's folder, as when the cases were computed.
 */
class BoshConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesBosh() throws Exception {
        Optional<Path> specs = SpecsFolder.locate();
        assumeTrue(specs.isPresent(), SpecsFolder.MISSING);
        Path folder = specs.get();
        JsonNode cases = JsonDocuments.parse(Files.readString(folder.resolve("cases.json")));
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = String.format("%03d %s%s", i, c.get("descriptor").stringValue(),
                    c.has("invocation") ? " + " + c.get("invocation").stringValue() : "");
            tests.add(DynamicTest.dynamicTest(name, () -> check(folder, c)));
        }
        return tests.stream();
    }

    private static void check(Path folder, JsonNode c) {
        Path descriptor = folder.resolve(c.get("descriptor").stringValue());
        boolean expectedValid = c.get("valid").booleanValue();
        if (!c.has("invocation")) {
            List<Problem> problems = BoutiquesCommands.validate(descriptor);
            assertThat(problems.isEmpty())
                    .as("bosh says %s; we found %s", c.path("error").asString("valid"), problems)
                    .isEqualTo(expectedValid);
            return;
        }
        Path invocation = folder.resolve(c.get("invocation").stringValue());
        RenderedInvocation rendered;
        try {
            rendered = BoutiquesCommands.simulate(descriptor, invocation, descriptor.getParent());
        } catch (ProblemsException e) {
            assertThat(expectedValid).as("bosh accepted it; we refused it with %s", e.problems()).isFalse();
            return;
        }
        assertThat(expectedValid).as("bosh refused it (%s); we rendered %s", c.path("error").asString(""),
                rendered.commandLine()).isTrue();
        assertThat(rendered.commandLine()).isEqualTo(c.get("command_line").stringValue());
        Map<String, String> expectedOutputs = new LinkedHashMap<>();
        c.get("outputs").properties().forEach(e -> expectedOutputs.put(e.getKey(), e.getValue().stringValue()));
        assertThat(rendered.outputs()).containsExactlyInAnyOrderEntriesOf(expectedOutputs);
    }
}
