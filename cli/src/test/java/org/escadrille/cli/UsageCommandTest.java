package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code escadrille usage} against {@link FakeGateway}: the month and grouping it asks for and what it prints. */
class UsageCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void printsATableOfTheMonthPerGroup() {
        gateway.on("GET", "/api/v1/usage", FakeGateway.json(200, """
                {"month": "2026-11", "by": "group", "lines": [{"name": "lab", "members": ["alice", "bob"], "attempts": 3,
                 "cpuHours": 2.75, "wallHours": 2.5, "storageBytes": 4096}]}"""));

        CliRunner.Result result = run("usage", "--month", "2026-11", "--by", "group");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("GET", "/api/v1/usage").getFirst().query()).isEqualTo("by=group&month=2026-11");
        assertThat(result.out()).isEqualTo("""
                GROUP                ATTEMPTS  CPU-HOURS WALL-HOURS   STORED-BYTES
                lab                         3       2.75       2.50           4096
                Month 2026-11 (UTC)
                """);
    }

    @Test
    void withCsvPrintsTheServersCsv() {
        String csv = "month,user,members,attempts,cpu_hours,wall_hours,storage_bytes\r\n2026-11,alice,alice,2,0.7500,1.5000,2\r\n";
        gateway.on("GET", "/api/v1/usage", request -> new FakeGateway.Response(200, "text/csv",
                csv.getBytes(StandardCharsets.UTF_8), Map.of()));

        CliRunner.Result result = run("usage", "--csv");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(csv);
    }

    @Test
    void aMonthThatIsNotOneIsBadUsage() {
        CliRunner.Result result = run("usage", "--month", "November");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("2026-11");
        assertThat(gateway.requests()).isEmpty();
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = gateway.url().toString();
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, Map.of()), all);
    }
}
