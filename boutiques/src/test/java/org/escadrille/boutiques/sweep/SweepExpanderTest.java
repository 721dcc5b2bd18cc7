package org.escadrille.boutiques.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.json.JsonDocuments;
import org.junit.jupiter.api.Test;

class SweepExpanderTest {

    private static final Descriptor PI = Descriptor.parse("""
            {"name": "pi", "tool-version": "1", "description": "d", "schema-version": "0.5",
             "command-line": "pi [EVENTS] [SEED] [TAGS] [NAME]",
             "inputs": [
               {"id": "events", "name": "e", "type": "Number", "value-key": "[EVENTS]"},
               {"id": "seed", "name": "s", "type": "Number", "value-key": "[SEED]"},
               {"id": "tags", "name": "t", "type": "String", "list": true, "value-key": "[TAGS]", "optional": true},
               {"id": "name", "name": "n", "type": "String", "value-key": "[NAME]", "optional": true}]}
            """);

    @Test
    void crossProductGivesEveryCombinationFirstInputSlowest() {
        List<SweepPoint> points = SweepExpander.expand(PI, JsonDocuments.parse("""
                {"events": [1000, 2000], "seed": [1, 2, 3], "tags": ["a", "b"]}"""), SweepStrategy.CROSS);
        assertThat(points).extracting(SweepPoint::label).containsExactly("events=1000_seed=1", "events=1000_seed=2",
                "events=1000_seed=3", "events=2000_seed=1", "events=2000_seed=2", "events=2000_seed=3");
        assertThat(points.get(4).invocation()).isEqualTo(JsonDocuments.parse("""
                {"events": 2000, "seed": 2, "tags": ["a", "b"]}"""));
    }

    @Test
    void eachPointKeepsTheInvocationsFieldsInTheirOrderAndIsItsOwnCopy() {
        var invocation = JsonDocuments.parse("""
                {"seed": [1, 2], "name": "run", "events": 1000}""");

        List<SweepPoint> points = SweepExpander.expand(PI, invocation, SweepStrategy.CROSS);

        assertThat(points).extracting(p -> p.invocation().toString()).containsExactly(
                "{\"seed\":1,\"name\":\"run\",\"events\":1000}", "{\"seed\":2,\"name\":\"run\",\"events\":1000}");
        points.get(0).invocation().put("name", "changed");
        assertThat(points.get(1).invocation().get("name").asString()).isEqualTo("run");
        assertThat(invocation.get("name").asString()).isEqualTo("run");
    }

    @Test
    void dotProductPairsTheIthValues() {
        List<SweepPoint> points = SweepExpander.expand(PI, JsonDocuments.parse("""
                {"events": [1000, 2000], "seed": [7, 8]}"""), SweepStrategy.DOT);
        assertThat(points).extracting(SweepPoint::label).containsExactly("events=1000_seed=7", "events=2000_seed=8");
    }

    @Test
    void dotProductOfUnequalListsNamesTheInputsAndTheirLengths() {
        assertThatThrownBy(() -> SweepExpander.expand(PI, JsonDocuments.parse("""
                {"events": [1000, 2000], "seed": [7, 8, 9]}"""), SweepStrategy.DOT))
                .isInstanceOf(InvalidInvocationException.class)
                .hasMessageContaining("events has 2").hasMessageContaining("seed has 3");
    }

    @Test
    void listInputsAreNotSweptAndNothingSweptGivesOneUnlabelledInvocation() {
        List<SweepPoint> points = SweepExpander.expand(PI, JsonDocuments.parse("""
                {"events": 10, "seed": 1, "tags": ["a", "b"]}"""), SweepStrategy.CROSS);
        assertThat(points).singleElement().satisfies(p -> assertThat(p.label()).isEmpty());
    }

    @Test
    void labelsAreFilesystemSafeAndUnique() {
        List<SweepPoint> points = SweepExpander.expand(PI, JsonDocuments.parse("""
                {"events": 1, "seed": 1, "name": ["../../etc/passwd", "a b", "a-b", "a b", 0.5]}"""),
                SweepStrategy.CROSS);
        assertThat(points).extracting(SweepPoint::label).doesNotHaveDuplicates()
                .allSatisfy(label -> assertThat(label).matches("[A-Za-z0-9._+=-]+").doesNotContain("..")
                        .doesNotStartWith("."));
        assertThat(points.get(2).label()).isEqualTo("name=a-b");
        assertThat(points.get(4).label()).isEqualTo("name=0.5");
    }

    @Test
    void emptyListOfValuesIsRefused() {
        assertThatThrownBy(() -> SweepExpander.expand(PI, JsonDocuments.parse("""
                {"events": [], "seed": 1}"""), SweepStrategy.CROSS))
                .isInstanceOf(InvalidInvocationException.class).hasMessageContaining("events");
    }
}
