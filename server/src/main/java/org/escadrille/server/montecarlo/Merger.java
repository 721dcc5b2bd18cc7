package org.escadrille.server.montecarlo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Merges the partial results of a Monte-Carlo execution's tasks into one, streaming. Parts come in
 * task order, so that the same parts always give the same bytes (a replay is bit-identical).
 */
public interface Merger {

    void merge(List<InputStream> parts, OutputStream merged) throws IOException;

    static Merger of(MonteCarloSpec.MergeSpec spec) {
        return switch (spec.method()) {
            case JSON_SUM -> new JsonSumMerger(spec.derive());
            case CSV_SUM -> new CsvSumMerger(spec.keyColumns());
            case CONCAT -> (parts, merged) -> {
                for (InputStream part : parts) {
                    part.transferTo(merged);
                }
            };
        };
    }

    /** Partial results that cannot be merged (different shapes, not numbers where numbers are summed). */
    final class MergeException extends IOException {
        public MergeException(String message) {
            super(message);
        }
    }
}
