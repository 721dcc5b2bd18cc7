package org.escadrille.server.montecarlo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sums the numeric fields of JSON objects (whole numbers exactly, decimals as doubles in task order);
 * other fields come from the first part; then the derived fields are computed on the sums (the
 * estimate of π is 4 × inside ÷ total, not a sum of estimates).
 */
final class JsonSumMerger implements Merger {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Map<String, Expression> derive;

    JsonSumMerger(Map<String, Expression> derive) {
        this.derive = derive;
    }

    @Override
    public void merge(List<InputStream> parts, OutputStream merged) throws IOException {
        ObjectNode result = null;
        int index = 0;
        for (InputStream part : parts) {
            JsonNode node;
            try {
                node = JSON.readTree(part);
            } catch (JacksonException e) {
                throw new MergeException("partial result " + index + " is not JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new MergeException("partial result " + index + " is not a JSON object");
            }
            if (result == null) {
                result = ((ObjectNode) node).deepCopy();
            } else {
                add(result, (ObjectNode) node, index);
            }
            index++;
        }
        if (result == null) {
            throw new MergeException("there is no partial result to merge");
        }
        var fields = new LinkedHashMap<String, Double>();
        for (var entry : result.properties()) {
            if (entry.getValue().isNumber()) {
                fields.put(entry.getKey(), entry.getValue().asDouble());
            }
        }
        for (var entry : derive.entrySet()) {
            try {
                result.put(entry.getKey(), entry.getValue().evaluate(fields));
            } catch (IllegalArgumentException e) {
                throw new MergeException("cannot derive " + entry.getKey() + ": " + e.getMessage());
            }
        }
        merged.write(JSON.writeValueAsBytes(result));
        merged.write('\n');
    }

    private void add(ObjectNode sum, ObjectNode part, int index) throws MergeException {
        for (var entry : part.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (!value.isNumber() || derive.containsKey(name)) {
                continue;
            }
            JsonNode current = sum.get(name);
            if (current == null) {
                sum.set(name, value);
            } else if (!current.isNumber()) {
                throw new MergeException("field " + name + " is a number in partial result " + index + " but not in the first");
            } else if (current.isIntegralNumber() && value.isIntegralNumber()) {
                BigInteger total = current.bigIntegerValue().add(value.bigIntegerValue());
                sum.set(name, JsonNodeFactory.instance.numberNode(total));
            } else {
                sum.set(name, JsonNodeFactory.instance.numberNode(current.asDouble() + value.asDouble()));
            }
        }
    }

}
