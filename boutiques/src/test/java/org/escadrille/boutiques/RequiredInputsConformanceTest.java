package org.escadrille.boutiques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.escadrille.boutiques.invocation.InvocationValidator;
import org.escadrille.boutiques.json.JsonDocuments;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every invocation of {@code ../shared/specs/boutiques/cases.json} that bosh accepts is complete as a
 * launch sees it, and stops being so when any of its required inputs is removed, or every member of a
 * one-is-required group: the problem names that input (or group). bosh itself lets such an invocation
 * through when the removal leaves it empty after defaults.
 */
class RequiredInputsConformanceTest {

    @TestFactory
    Stream<DynamicTest> removingARequiredInputOfAnAcceptedInvocationIsRefusedNamingIt() throws Exception {
        Optional<Path> specs = SpecsFolder.locate();
        assumeTrue(specs.isPresent(), SpecsFolder.MISSING);
        Path folder = specs.get();
        var cases = JsonDocuments.parse(Files.readString(folder.resolve("cases.json")));
        List<DynamicTest> tests = new ArrayList<>();
        for (var c : cases) {
            if (!c.has("invocation") || !c.get("valid").booleanValue()) {
                continue;
            }
            Descriptor descriptor = Descriptor.parse(Files.readString(folder.resolve(c.get("descriptor").stringValue())));
            var invocation = (ObjectNode) JsonDocuments.parse(Files.readString(folder.resolve(c.get("invocation").stringValue())));
            String name = c.get("descriptor").stringValue() + " + " + c.get("invocation").stringValue();
            tests.add(DynamicTest.dynamicTest(name + " as given", () ->
                    assertThat(InvocationValidator.validateComplete(descriptor, invocation)).isEmpty()));
            for (Input input : descriptor.inputs()) {
                if (!input.optional() && input.defaultValue() == null && invocation.has(input.id())) {
                    tests.add(DynamicTest.dynamicTest(name + " without " + input.id(), () -> {
                        ObjectNode without = invocation.deepCopy();
                        without.remove(input.id());
                        assertThat(InvocationValidator.validateComplete(descriptor, without))
                                .contains(new Problem("/" + input.id(), "\"" + input.id() + "\" is required but missing"));
                    }));
                }
            }
            for (Group group : descriptor.groups()) {
                if (group.oneIsRequired()) {
                    tests.add(DynamicTest.dynamicTest(name + " without group " + group.id(), () -> {
                        ObjectNode without = invocation.deepCopy();
                        group.members().forEach(without::remove);
                        assertThat(InvocationValidator.validateComplete(descriptor, without))
                                .anySatisfy(p -> assertThat(p.message()).contains("group \"" + group.id() + "\""));
                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }
}
