package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import org.junit.jupiter.api.Test;

class DescriptorReviewTest {
    private static final String DESCRIPTOR = """
            {
              "name": "x",
              "inputs": [
                {"id": "a",
                 "type": "Strin"},
                {"id": "b"}
              ],
              "custom": {"escadrille:pilot-tags": ["gpu", 3]},
              "container-image": {"image": "--privileged"}
            }""";

    @Test
    void eachProblemGoesUnderTheLineWhereItsFieldStartsWhetherNamedByPointerOrByDottedPath() {
        var review = DescriptorReview.of(DESCRIPTOR, List.of(
                new FieldProblem("/inputs/0/type", "is not a type"),
                new FieldProblem("container-image.image", "is not an image"),
                new FieldProblem("custom.escadrille:pilot-tags[1]", "is not a tag")));

        assertThat(review.lines().get(4).problems()).extracting(FieldProblem::message).containsExactly("is not a type");
        assertThat(review.lines().get(8).problems()).extracting(FieldProblem::message).containsExactly("is not an image");
        assertThat(review.lines().get(7).problems()).extracting(FieldProblem::message).containsExactly("is not a tag");
        assertThat(review.general()).isEmpty();
    }

    @Test
    void aMissingFieldGoesToItsNearestEnclosingFieldAndAProblemOfTheWholeStaysAbove() {
        var review = DescriptorReview.of(DESCRIPTOR, List.of(
                new FieldProblem("/inputs/1/name", "\"name\" is required but missing"),
                new FieldProblem("/tool-version", "\"tool-version\" is required but missing"),
                new FieldProblem("descriptor", "is too large")));

        assertThat(review.lines().get(5).problems()).extracting(FieldProblem::field).containsExactly("/inputs/1/name");
        assertThat(review.general()).extracting(FieldProblem::field).containsExactly("/tool-version", "descriptor");
    }

    @Test
    void textThatStopsBeingJsonKeepsTheLinesOfTheFieldsBeforeIt() {
        var lines = DescriptorReview.fieldLines("{\n  \"name\": \"x\",\n  \"inputs\": [oops]\n}");

        assertThat(lines).containsEntry("/name", 2).containsEntry("/inputs", 3);
    }
}
