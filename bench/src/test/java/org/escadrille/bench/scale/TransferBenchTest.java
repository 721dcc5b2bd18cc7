package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferBenchTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path out;

    @Test
    void localSummaryPutsCurlThroughTheServerAgainstCpAndTheCliAgainstCurl() throws Exception {
        var timings = timings(Map.of("cp/copy", 2.0, "escadrille/upload", 8.0, "escadrille/download", 6.0,
                TransferBench.CURL_THROUGH_SERVER + "/upload", 4.0, TransferBench.CURL_THROUGH_SERVER + "/download", 3.0));

        TransferBench.report(out, "local", GIB, 1, timings, 100);

        assertThat(Files.readString(out.resolve("summary-local.md")))
                .contains("| escadrille | upload | 8.00 | 128 | 0.25× | 0.50× |")
                .contains("| escadrille | download | 6.00 | 171 | 0.33× | 0.50× |")
                .contains("| curl (through the server) | upload | 4.00 | 256 | 0.50× |  |")
                .contains("| curl (through the server) | download | 3.00 | 341 | 0.67× |  |")
                .contains("split at curl through the server: upload curl/cp 0.50×, CLI/curl 0.50×; download curl/cp 0.67×, CLI/curl 0.50×.");
        assertThat(Files.readAllLines(out.resolve("transfer-local.csv")))
                .contains("storage,size_bytes,runs,tool,direction,median_s,mib_per_s,speed_vs_cp,speed_vs_curl_through_server",
                        "local,1073741824,1,escadrille,upload,8.000,128.0,0.25,0.50",
                        "local,1073741824,1,curl (through the server),download,3.000,341.3,0.67,");
    }

    @Test
    void s3SummaryKeepsItsColumnsWithoutACurlThroughTheServer() throws Exception {
        var timings = timings(Map.of("cp/copy", 2.0, "escadrille/upload", 8.0, "curl/upload", 4.0));

        TransferBench.report(out, "s3", GIB, 1, timings, 100);

        assertThat(Files.readString(out.resolve("summary-s3.md")))
                .contains("| escadrille | upload | 8.00 | 128 | 0.50× |\n")
                .doesNotContain("through the server");
        assertThat(Files.readAllLines(out.resolve("transfer-s3.csv")).getFirst())
                .isEqualTo("storage,size_bytes,runs,tool,direction,median_s,mib_per_s,speed_vs_curl");
    }

    @Test
    void s3SummaryPutsTheCliUploadAgainstCurlsOwnMultipartUpload() throws Exception {
        var timings = timings(Map.of("cp/copy", 2.0, "escadrille/upload", 8.0, "escadrille/download", 4.0, "curl/upload", 4.0,
                "curl/download", 3.0, TransferBench.CURL_MULTIPART + "/upload", 6.0));

        TransferBench.report(out, "s3", GIB, 1, timings, 100);

        assertThat(Files.readString(out.resolve("summary-s3.md")))
                .contains("| tool | direction | median (s) | MiB/s | speed vs curl (target ≥ 0.9×) | speed vs curl (multipart) |")
                .contains("| escadrille | upload | 8.00 | 128 | 0.50× | 0.75× |")
                .contains("| escadrille | download | 4.00 | 256 | 0.75× |  |")
                .contains("| curl (multipart) | upload | 6.00 | 171 | 0.67× |  |");
        assertThat(Files.readAllLines(out.resolve("transfer-s3.csv")))
                .contains("storage,size_bytes,runs,tool,direction,median_s,mib_per_s,speed_vs_curl,speed_vs_curl_multipart",
                        "s3,1073741824,1,escadrille,upload,8.000,128.0,0.50,0.75");
    }

    /** One run per tool and direction, in the order the bench runs them. */
    private static Map<String, TransferBench.Timing> timings(Map<String, Double> seconds) {
        var ordered = new LinkedHashMap<String, TransferBench.Timing>();
        for (String key : List.of("cp/copy", "escadrille/upload", "escadrille/download", "curl/upload", "curl/download",
                TransferBench.CURL_MULTIPART + "/upload",
                TransferBench.CURL_THROUGH_SERVER + "/upload", TransferBench.CURL_THROUGH_SERVER + "/download")) {
            if (seconds.containsKey(key)) {
                String[] parts = key.split("/");
                ordered.put(key, new TransferBench.Timing(parts[0], parts[1], new ArrayList<>(List.of(seconds.get(key)))));
            }
        }
        return ordered;
    }
}
