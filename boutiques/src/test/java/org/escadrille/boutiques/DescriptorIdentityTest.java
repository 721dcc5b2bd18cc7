package org.escadrille.boutiques;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptorIdentityTest {

    private static final String TOOL = """
            {"name": "t", "tool-version": "1", "description": "d\\u00e9 \\"q\\"", "schema-version": "0.5",
             "command-line": "t [N]", "custom": {"b": 1.50, "a": [true, null]},
             "inputs": [{"id": "n", "name": "N", "type": "Number", "value-key": "[N]", "maximum": 1e21}]}""";

    private static final String SAME_TOOL_REFORMATTED = """
            {
              "inputs": [{"value-key": "[N]", "maximum": 1E+21, "type": "Number", "name": "N", "id": "n"}],
              "custom": {"a": [true, null], "b": 1.5},
              "command-line": "t [N]", "schema-version": "0.5", "description": "dé \\"q\\"",
              "tool-version": "1", "name": "t"
            }""";

    @Test
    void canonicalJsonSortsKeysAndDropsWhitespace() {
        assertThat(Descriptor.parse(TOOL).canonicalJson()).isEqualTo("{\"command-line\":\"t [N]\",\"custom\":{\"a\":"
                + "[true,null],\"b\":1.5},\"description\":\"dé \\\"q\\\"\",\"inputs\":[{\"id\":\"n\",\"maximum\":1e+21,"
                + "\"name\":\"N\",\"type\":\"Number\",\"value-key\":\"[N]\"}],\"name\":\"t\",\"schema-version\":\"0.5\","
                + "\"tool-version\":\"1\"}");
    }

    @Test
    void digestIgnoresKeyOrderAndFormattingButNotContent() {
        Descriptor a = Descriptor.parse(TOOL);
        assertThat(Descriptor.parse(SAME_TOOL_REFORMATTED).sha256()).isEqualTo(a.sha256()).hasSize(64);
        assertThat(Descriptor.parse(TOOL.replace("\"1\"", "\"2\"")).sha256()).isNotEqualTo(a.sha256());
    }
}
