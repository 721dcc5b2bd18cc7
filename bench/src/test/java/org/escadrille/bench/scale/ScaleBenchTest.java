package org.escadrille.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScaleBenchTest {

    @Test
    void p99IsTheFirstBucketHoldingNinetyNinePercentOfTheLeasesBetweenTwoScrapes() {
        var before = new TreeMap<>(Map.of(0.01, 100.0, 0.1, 100.0, Double.POSITIVE_INFINITY, 100.0));
        var after = new TreeMap<>(Map.of(0.01, 150.0, 0.1, 299.0, Double.POSITIVE_INFINITY, 300.0));

        assertThat(ScaleBench.p99(before, after)).isEqualTo("≤ 100 ms");
    }

    @Test
    void theHeartbeatIntervalIsReadFromItsGaugeOrIsMinusOneWithoutIt() {
        String scraped = """
                # HELP escadrille_pilots_heartbeat_interval_seconds the heartbeat interval pilots running tasks are told now
                # TYPE escadrille_pilots_heartbeat_interval_seconds gauge
                escadrille_pilots_heartbeat_interval_seconds 40.0
                """;

        assertThat(ScaleBench.heartbeatIntervalSeconds(scraped)).isEqualTo(40.0);
        assertThat(ScaleBench.heartbeatIntervalSeconds("escadrille_tasks_running 3.0\n")).isEqualTo(-1);
    }

    @Test
    void p99SaysSoWhenNoLeaseWasAnswered() {
        var same = new TreeMap<>(Map.of(0.1, 5.0, Double.POSITIVE_INFINITY, 5.0));

        assertThat(ScaleBench.p99(same, same)).isEqualTo("no leases");
    }

    @Test
    void requestsAnsweredAreCountedByUriOver2xxOnlyAndPerTaskBetweenTwoScrapes() {
        String before = """
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/api/pilot/v1/heartbeat"} 100
                http_server_requests_seconds_count{error="none",exception="none",method="POST",outcome="SERVER_ERROR",status="503",uri="/api/pilot/v1/heartbeat"} 7
                http_server_requests_seconds_count{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/api/pilot/v1/lease"} 50
                http_server_requests_seconds_sum{error="none",exception="none",method="POST",outcome="SUCCESS",status="200",uri="/api/pilot/v1/lease"} 3.5
                """;
        String after = before.replace("\"/api/pilot/v1/heartbeat\"} 100", "\"/api/pilot/v1/heartbeat\"} 160")
                .replace("\"/api/pilot/v1/lease\"} 50", "\"/api/pilot/v1/lease\"} 250")
                + "http_server_requests_seconds_count{error=\"none\",exception=\"none\",method=\"POST\",outcome=\"SUCCESS\",status=\"204\",uri=\"/api/pilot/v1/lease\"} 10\n";

        var answered = ServerUnderTest.answeredByUri(before);
        assertThat(answered).containsExactlyInAnyOrderEntriesOf(Map.of("/api/pilot/v1/heartbeat", 100.0, "/api/pilot/v1/lease", 50.0));
        assertThat(ScaleBench.perTask(answered, ServerUnderTest.answeredByUri(after), 200))
                .isEqualTo("/api/pilot/v1/lease ×210 (1.05), /api/pilot/v1/heartbeat ×60 (0.30)");
    }

    @Test
    void cpuSecondsAreUserAndSystemTicksOfProcStatEvenWithSpacesInTheCommandName() {
        // Fields 14 and 15 of proc(5): utime 1234 and stime 66 ticks of 1/100 s.
        String stat = "4242 (java (server) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 66 0 0 20 0 40 0 100 3000000 300000";

        assertThat(ServerUnderTest.procCpuSeconds(stat)).isEqualTo(13.0);
    }

    @Test
    void cpuSecondsOfThisProcessAreReadFromItsProcStat() throws Exception {
        var stat = Path.of("/proc/self/stat");
        assumeTrue(Files.exists(stat), "no /proc here (not Linux)");

        assertThat(ServerUnderTest.procCpuSeconds(Files.readString(stat))).isPositive();
    }

    @Test
    void aRefusalCountsWithTheReasonTheServerGaveNumbersMasked() {
        byte[] problem = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"this session token expired at 2026-12-06T06:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(SimulatedPilot.detail(problem)).isEqualTo(" (this session token expired at N-N-NTN:N:NZ)");
        assertThat(SimulatedPilot.detail("<html>gateway</html>".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(SimulatedPilot.detail(new byte[0])).isEmpty();
    }
}
