package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The launch bounds on their own: how a sweep's size is counted before it is expanded. */
class LaunchLimitsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode list(int size) {
        var array = JsonNodeFactory.instance.arrayNode();
        IntStream.range(0, size).forEach(array::add);
        return array;
    }

    private static LaunchRequest request(String iterate, Map<String, JsonNode> inputs) {
        return new LaunchRequest("app", null, null, inputs, iterate);
    }

    @Test
    void aCrossSweepCountsTheProductAndADotSweepTheLongestList() {
        var inputs = Map.of("a", list(3), "b", list(4), "c", JsonNodeFactory.instance.numberNode(1));

        assertThat(LaunchLimits.sweepPoints(request("cross", inputs))).isEqualTo(12);
        assertThat(LaunchLimits.sweepPoints(request("dot", inputs))).isEqualTo(4);
    }

    @Test
    void aProductTooLargeForALongSaturatesInsteadOfWrappingToASmallNumber() {
        var inputs = new LinkedHashMap<String, JsonNode>();
        for (int i = 0; i < 8; i++) {
            inputs.put("in" + i, list(1000));
        }

        assertThat(LaunchLimits.sweepPoints(request("cross", inputs))).isEqualTo(Long.MAX_VALUE);
        var limits = new LaunchLimits(EscadrilleProperties.withDataDir(null), JSON);
        assertThatThrownBy(() -> limits.check(request("cross", inputs)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("escadrille.limits.tasks-per-launch");
    }
}
