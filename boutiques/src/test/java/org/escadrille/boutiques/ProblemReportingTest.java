package org.escadrille.boutiques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.escadrille.boutiques.invocation.InvocationValidator;
import org.escadrille.boutiques.json.JsonDocuments;
import org.junit.jupiter.api.Test;

class ProblemReportingTest {

    @Test
    void schemaProblemsAreAllReportedWithTheirLocation() {
        assertThatThrownBy(() -> Descriptor.parse("""
                {"name": "", "tool-version": "1", "description": "d", "schema-version": "0.4",
                 "command-line": "t [A]", "comand-line": "typo",
                 "inputs": [{"id": "a b", "name": "A", "type": "Text", "value-key": "[A]"}]}"""))
                .isInstanceOfSatisfying(InvalidDescriptorException.class, e -> assertThat(e.problems())
                        .extracting(Problem::location)
                        .containsExactlyInAnyOrder("/name", "/schema-version", "/comand-line", "/inputs/0/id",
                                "/inputs/0/type"));
    }

    @Test
    void semanticProblemsAreAllReportedInWordsOfTheToolAuthor() {
        assertThatThrownBy(() -> Descriptor.parse("""
                {"name": "t", "tool-version": "1", "description": "d", "schema-version": "0.5",
                 "command-line": "t [A] [F]",
                 "inputs": [
                   {"id": "a", "name": "A", "type": "Number", "value-key": "[A]", "minimum": 5, "maximum": 1},
                   {"id": "f", "name": "F", "type": "Flag", "value-key": "[F]"},
                   {"id": "b", "name": "B", "type": "String", "value-key": "[B]"}],
                 "groups": [{"id": "g", "name": "G", "members": ["a", "ghost"], "mutually-exclusive": true}]}"""))
                .isInstanceOfSatisfying(InvalidDescriptorException.class, e -> assertThat(e.problems())
                        .extracting(Problem::message)
                        .anySatisfy(m -> assertThat(m).contains("\"[B]\" appears nowhere"))
                        .anySatisfy(m -> assertThat(m).contains("minimum (5) greater than its maximum (1)"))
                        .anySatisfy(m -> assertThat(m).contains("\"f\" is a Flag and needs a command-line-flag"))
                        .anySatisfy(m -> assertThat(m).contains("\"f\" is a Flag and must be optional"))
                        .anySatisfy(m -> assertThat(m).contains("member \"ghost\" is not an input"))
                        .anySatisfy(m -> assertThat(m).contains("cannot contain the required input \"a\"")));
    }

    @Test
    void malformedJsonIsOneProblemSayingWhere() {
        assertThatThrownBy(() -> Descriptor.parse("{\"name\": \"t\",\n \"inputs\": [}"))
                .isInstanceOfSatisfying(InvalidDescriptorException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.message()).contains("line 2")));
    }

    @Test
    void invocationProblemsAreAllListed() {
        Descriptor tool = Descriptor.parse("""
                {"name": "t", "tool-version": "1", "description": "d", "schema-version": "0.5",
                 "command-line": "t [N] [C] [L] [X] [Y]",
                 "inputs": [
                   {"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "maximum": 10},
                   {"id": "c", "name": "C", "type": "String", "value-key": "[C]", "value-choices": ["a", "b"]},
                   {"id": "l", "name": "L", "type": "String", "value-key": "[L]", "list": true, "min-list-entries": 2,
                    "optional": true},
                   {"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true,
                    "disables-inputs": ["y"]},
                   {"id": "y", "name": "Y", "type": "String", "value-key": "[Y]", "optional": true}]}""");
        List<Problem> problems = InvocationValidator.validate(tool, JsonDocuments.parse("""
                {"n": 11, "c": "z", "l": ["one"], "x": "1", "y": "2", "unknown": true}"""));
        assertThat(problems).extracting(Problem::location)
                .containsExactlyInAnyOrder("/n", "/c", "/l", "", "/unknown");
        assertThat(problems).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("11 is above the maximum 10"))
                .anySatisfy(m -> assertThat(m).contains("input \"x\" is given: it excludes \"y\""));
    }
}
