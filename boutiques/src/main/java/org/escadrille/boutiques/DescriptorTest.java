package org.escadrille.boutiques;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** A test case shipped in the descriptor: an invocation and what running it must produce. */
public record DescriptorTest(String name, JsonNode invocation, Long expectedExitCode, List<OutputAssertion> outputs) {

    public DescriptorTest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(invocation, "invocation");
        outputs = List.copyOf(outputs);
    }

    /** An output file the test expects, optionally with the MD5 of its content. */
    public record OutputAssertion(String id, String md5Reference) {
        public OutputAssertion {
            Objects.requireNonNull(id, "id");
        }
    }
}
