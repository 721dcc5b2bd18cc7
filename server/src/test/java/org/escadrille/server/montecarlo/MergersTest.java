package org.escadrille.server.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergersTest {

    private static String merge(Merger merger, String... parts) throws IOException {
        List<InputStream> streams = Arrays.stream(parts)
                .map(p -> (InputStream) new ByteArrayInputStream(p.getBytes(StandardCharsets.UTF_8))).toList();
        var out = new ByteArrayOutputStream();
        merger.merge(streams, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonSumAddsCountsAndDerivesTheEstimateFromTheSums() throws IOException {
        var merger = new JsonSumMerger(Map.of("estimate", Expression.parse("4 * inside / total")));

        String merged = merge(merger, "{\"inside\": 3, \"total\": 4, \"estimate\": 3.0, \"tool\": \"pi\"}",
                "{\"inside\": 5, \"total\": 6, \"estimate\": 3.33, \"tool\": \"pi\"}");

        assertThat(merged).isEqualTo("{\"inside\":8,\"total\":10,\"estimate\":3.2,\"tool\":\"pi\"}\n");
    }

    @Test
    void jsonSumKeepsHugeCountsExact() throws IOException {
        String merged = merge(new JsonSumMerger(Map.of()), "{\"n\": 9223372036854775807}", "{\"n\": 1}");

        assertThat(merged).contains("9223372036854775808");
    }

    @Test
    void csvSumAddsBinsAndRefusesMismatchedBins() throws IOException {
        var merger = new CsvSumMerger(1);

        assertThat(merge(merger, "depth,edep\n0.5,1.5\n1.5,2\n", "depth,edep\n0.5,0.25\n1.5,3\n"))
                .isEqualTo("depth,edep\n0.5,1.75\n1.5,5\n");
        assertThatThrownBy(() -> merge(merger, "d,e\n0.5,1\n", "d,e\n0.7,1\n"))
                .isInstanceOf(Merger.MergeException.class).hasMessageContaining("bins differ");
        assertThatThrownBy(() -> merge(merger, "d,e\n0.5,1\n", "d,e\n0.5,1\n1.5,1\n"))
                .hasMessageContaining("rows");
    }

    @Test
    void expressionsNameFieldsOnlyAndSayWhatIsWrong() {
        assertThat(Expression.parse("-(a + 2) * b / 4").evaluate(Map.of("a", 2.0, "b", 3.0))).isEqualTo(-3.0);
        assertThatThrownBy(() -> Expression.parse("4 * inside / ")).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> Expression.parse("System.exit(1)")).hasMessageContaining("unexpected");
        assertThatThrownBy(() -> Expression.parse("x").evaluate(Map.of())).hasMessageContaining("no numeric field x");
    }
}
