package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.json.JsonMapper;

class SubmittedValuesTest {
    static final Descriptor TOOL = Descriptor.parse("""
            {"name": "tool", "tool-version": "1", "schema-version": "0.5", "description": "d",
             "command-line": "tool [N] [MODE] [A] [B] [V]",
             "inputs": [
               {"id": "n", "name": "Events", "type": "Number", "integer": true, "value-key": "[N]"},
               {"id": "mode", "name": "Mode", "type": "String", "optional": true, "value-choices": ["fast", "exact"], "value-key": "[MODE]"},
               {"id": "a", "name": "Input A", "type": "File", "optional": true, "value-key": "[A]"},
               {"id": "b", "name": "Input B", "type": "File", "optional": true, "value-key": "[B]"},
               {"id": "v", "name": "Verbose", "type": "Flag", "optional": true, "command-line-flag": "-v", "value-key": "[V]"}
             ],
             "groups": [{"id": "ab", "name": "Input", "members": ["a", "b"], "mutually-exclusive": true, "one-is-required": true}]}""");

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static SubmittedValues form(String... keysAndValues) {
        var fields = new LinkedMultiValueMap<String, String>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.add(keysAndValues[i], keysAndValues[i + 1]);
        }
        return SubmittedValues.from(fields);
    }

    @Test
    void oneValuePerLineIsASweepAndACheckedFlagIsTrue() {
        var request = form("in.n", "", "lines.n", "10\n\n 20 \n", "in.a", "data/x.nii", "in.v", "true", "iterate", "dot")
                .toRequest("tool", TOOL, JSON);

        assertThat(request.inputs().get("n").toString()).isEqualTo("[\"10\",\"20\"]");
        assertThat(request.inputs().get("a").asString()).isEqualTo("data/x.nii");
        assertThat(request.inputs().get("v").asString()).isEqualTo("true");
        assertThat(request.inputs()).doesNotContainKey("mode");
        assertThat(request.iterate()).isEqualTo("dot");
    }

    @Test
    void oneValueAndASweepForTheSameInputIsRefusedOnThatInput() {
        assertThatThrownBy(() -> form("in.n", "5", "lines.n", "1\n2", "in.a", "x").toRequest("tool", TOOL, JSON))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .extracting(InvalidRequestException.FieldProblem::field).containsExactly("inputs.n"));
    }

    @Test
    void groupRulesAreCheckedWithTheInputsNames() {
        assertThatThrownBy(() -> form("in.n", "5").toRequest("tool", TOOL, JSON))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.field()).isEqualTo("groups.ab");
                            assertThat(p.message()).isEqualTo("give at least one of Input A, Input B");
                        }));
        assertThatThrownBy(() -> form("in.n", "5", "in.a", "x", "lines.b", "y").toRequest("tool", TOOL, JSON))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems().getFirst().message())
                        .startsWith("give only one of Input A, Input B"));
    }

    @Test
    void theNoCacheBoxTurnsTheTaskCacheOffForThisLaunchOnly() {
        var unchecked = form("in.n", "5", "in.a", "x").toRequest("tool", TOOL, JSON);
        var checked = form("in.n", "5", "in.a", "x", "no-cache", "on").toRequest("tool", TOOL, JSON);

        assertThat(unchecked.usesCache()).isTrue();
        assertThat(checked.cache()).isFalse();
        assertThat(checked.usesCache()).isFalse();
    }

    @Test
    void anEarlierLaunchFillsTheFormBack() {
        var inputs = JSON.readTree("{\"n\": [1, 2], \"a\": \"x.nii\", \"v\": true}");
        var values = SubmittedValues.of("run", "1", "cross", "none", inputs, TOOL);

        assertThat(values.lines("n")).isEqualTo("1\n2");
        assertThat(values.value("a")).isEqualTo("x.nii");
        assertThat(values.value("v")).isEqualTo("true");
        assertThat(values.name()).isEqualTo("run");
        assertThat(values.split()).isEqualTo("none");
    }

    @Test
    void aMonteCarloApplicationGivenSeveralValuesRunsOneOrdinaryTaskPerValueUnlessTheFormSaysOtherwise() {
        var monteCarlo = Descriptor.parse("""
                {"name": "mc", "tool-version": "1", "schema-version": "0.5", "description": "d", "command-line": "mc [N]",
                 "inputs": [{"id": "n", "name": "Events", "type": "Number", "value-key": "[N]"}],
                 "custom": {"escadrille:monte-carlo": {"events-input": "n"}}}""");

        assertThat(form("lines.n", "10\n20").toRequest("mc", monteCarlo, JSON).split()).isEqualTo("none");
        assertThat(form("in.n", "10").toRequest("mc", monteCarlo, JSON).split()).isNull();
        assertThat(form("lines.n", "10\n20", "split", "static", "tasks", "4").toRequest("mc", monteCarlo, JSON))
                .satisfies(request -> {
                    assertThat(request.split()).isEqualTo("static");
                    assertThat(request.tasks()).isEqualTo(4);
                });
        assertThat(form("lines.n", "10\n20", "in.a", "x").toRequest("tool", TOOL, JSON).split()).as("not Monte-Carlo").isNull();
    }

    @Test
    void problemsGoNextToTheirInputOrGroupAndTheRestOnTop() {
        var refused = new InvalidRequestException("Invalid inputs", "3 problems", List.of(
                new InvalidRequestException.FieldProblem("inputs.n", "\"n\" is required but missing"),
                new InvalidRequestException.FieldProblem("inputs.mode.0", "must be one of fast, exact"),
                new InvalidRequestException.FieldProblem("inputs", "input \"a\" is given: it excludes \"b\""),
                new InvalidRequestException.FieldProblem("inputs", "something else entirely")));

        var errors = FieldErrors.of(refused, TOOL);

        assertThat(errors.forInput("n")).containsExactly("required: fill this in");
        assertThat(errors.forInput("mode")).containsExactly("must be one of fast, exact");
        assertThat(errors.forGroup("ab")).containsExactly("input \"a\" is given: it excludes \"b\"");
        assertThat(errors.general()).containsExactly("Something else entirely");
        assertThat(errors.count()).isEqualTo(4);
    }
}
