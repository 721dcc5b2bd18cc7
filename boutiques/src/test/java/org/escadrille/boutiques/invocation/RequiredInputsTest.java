package org.escadrille.boutiques.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.Problem;
import org.escadrille.boutiques.json.JsonDocuments;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class RequiredInputsTest {
    private static final Descriptor CHECKSUM = Descriptor.parse("""
            {"name": "sha256sum", "tool-version": "1", "description": "d", "schema-version": "0.5",
             "command-line": "sha256sum [TAG] [INPUT] > [CHECKSUM]",
             "inputs": [
               {"id": "input", "name": "Input", "type": "File", "value-key": "[INPUT]"},
               {"id": "tag", "name": "Tag", "type": "Flag", "command-line-flag": "--tag", "value-key": "[TAG]",
                "optional": true}],
             "output-files": [{"id": "checksum", "name": "C", "path-template": "[INPUT].sha256",
                               "value-key": "[CHECKSUM]"}]}""");

    private static final Descriptor GROUPED = Descriptor.parse("""
            {"name": "t", "tool-version": "1", "description": "d", "schema-version": "0.5",
             "command-line": "t [LEVEL] [A] [B] [F]",
             "inputs": [
               {"id": "level", "name": "Level", "type": "Number", "value-key": "[LEVEL]", "default-value": 6},
               {"id": "a", "name": "A", "type": "String", "value-key": "[A]", "optional": true},
               {"id": "b", "name": "B", "type": "String", "value-key": "[B]", "optional": true, "list": true},
               {"id": "f", "name": "F", "type": "Flag", "command-line-flag": "-f", "value-key": "[F]",
                "optional": true}],
             "groups": [{"id": "what", "name": "What", "members": ["a", "b", "f"], "one-is-required": true}]}""");

    private static ObjectNode invocation(String json) {
        return (ObjectNode) JsonDocuments.parse(json);
    }

    @Test
    void anEmptyInvocationLacksItsRequiredInputThoughBoshLetsItThrough() {
        assertThat(InvocationValidator.validate(CHECKSUM, invocation("{}"))).as("bosh's answer, kept").isEmpty();

        assertThat(InvocationValidator.validateComplete(CHECKSUM, invocation("{}")))
                .containsExactly(new Problem("/input", "\"input\" is required but missing"));
        assertThat(InvocationValidator.validateComplete(CHECKSUM, invocation("{\"tag\": true}")))
                .as("reported once, though bosh's schema finds it too")
                .containsExactly(new Problem("/input", "\"input\" is required but missing"));
    }

    @Test
    void anInputWithADefaultValueIsGivenInEffect() {
        assertThat(RequiredInputs.missing(GROUPED, invocation("{\"a\": \"x\"}"))).isEmpty();
    }

    @Test
    void aOneIsRequiredGroupNeedsAMemberAndAFlagCountsOnlyWhenTrue() {
        String needed = "group \"what\" needs at least one of \"a\", \"b\", \"f\" (a Flag counts when true)";

        assertThat(RequiredInputs.missing(GROUPED, invocation("{}"))).containsExactly(new Problem("", needed));
        assertThat(RequiredInputs.missing(GROUPED, invocation("{\"f\": false}"))).containsExactly(new Problem("", needed));
        assertThat(RequiredInputs.missing(GROUPED, invocation("{\"f\": true}"))).isEmpty();
        assertThat(InvocationValidator.validateComplete(GROUPED, invocation("{}"))).containsExactly(new Problem("", needed));
        assertThat(InvocationValidator.validateComplete(GROUPED, invocation("{\"f\": false}")))
                .as("reported once, though bosh's schema finds it too").containsExactly(new Problem("", needed));
    }

    @Test
    void aListCountsAsGivenAndAnEmptyListDoesNot() {
        assertThat(RequiredInputs.missing(GROUPED, invocation("{\"b\": [\"x\"]}"))).isEmpty();
        assertThat(RequiredInputs.missing(GROUPED, invocation("{\"b\": []}"))).hasSize(1);
        assertThat(RequiredInputs.missing(CHECKSUM, invocation("{\"input\": [\"a.txt\", \"b.txt\"]}"))).isEmpty();
        assertThat(RequiredInputs.missing(CHECKSUM, invocation("{\"input\": []}")))
                .containsExactly(new Problem("/input", "\"input\" is required but missing"));
    }

    @Test
    void requireCompleteGivesTheValuesWithDefaultsOrEveryProblem() {
        assertThat(InvocationValidator.requireComplete(GROUPED, invocation("{\"a\": \"x\"}")).get("level").intValue())
                .isEqualTo(6);
        assertThatThrownBy(() -> InvocationValidator.requireComplete(CHECKSUM, invocation("{}")))
                .isInstanceOfSatisfying(InvalidInvocationException.class,
                        e -> assertThat(e.problems()).extracting(Problem::location).containsExactly("/input"));
    }
}
