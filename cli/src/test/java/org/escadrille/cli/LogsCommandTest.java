package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escadrille logs} against {@link FakeGateway}, a stand-in at the HTTP boundary that records every
 * request, so that each reply the command must handle is one line of the test.
 */
class LogsCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void followsTheLogByOffsetsUntilItIsComplete() {
        // given a log that grows over three polls, with a pause between, then completes
        byte[] log = "events 0\nevents 500\nπ ≈ 3.14\n".getBytes(StandardCharsets.UTF_8);
        int[] cuts = {0, 9, 9, 21, log.length};
        AtomicInteger call = new AtomicInteger();
        gateway.on("GET", "/api/v1/executions/e1/logs", request -> {
            int index = Math.min(call.getAndIncrement(), cuts.length - 2);
            long offset = Long.parseLong(request.query().replaceAll(".*offset=(\\d+).*", "$1"));
            byte[] chunk = Arrays.copyOfRange(log, (int) offset, cuts[index + 1]);
            boolean complete = cuts[index + 1] == log.length;
            return new FakeGateway.Response(200, "text/plain", chunk, Map.of(
                    "X-Escadrille-Next-Offset", String.valueOf(offset + chunk.length),
                    "X-Escadrille-Log-Complete", String.valueOf(complete)));
        });

        // when
        CliRunner.Result result = run("logs", "e1", "--task", "t7", "--stderr");

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("events 0\nevents 500\nπ ≈ 3.14\n");
        assertThat(gateway.requests()).extracting(FakeGateway.Recorded::query).containsExactly(
                "stream=stderr&offset=0&task=t7", "stream=stderr&offset=9&task=t7",
                "stream=stderr&offset=9&task=t7", "stream=stderr&offset=21&task=t7");
    }

    @Test
    void withoutFollowingItStopsWhenNothingMoreIsThere() {
        AtomicInteger call = new AtomicInteger();
        gateway.on("GET", "/api/v1/executions/e1/logs", request -> call.getAndIncrement() == 0
                ? FakeGateway.text("line\n", Map.of("X-Escadrille-Next-Offset", "5", "X-Escadrille-Log-Complete", "false"))
                : FakeGateway.text("", Map.of("X-Escadrille-Next-Offset", "5", "X-Escadrille-Log-Complete", "false")));

        CliRunner.Result result = run("logs", "e1", "--no-follow");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("line\n");
        assertThat(gateway.requests()).hasSize(2);
    }

    @Test
    void anUnknownExecutionIsANotFoundProblem() {
        gateway.on("GET", "/api/v1/executions/nope/logs", FakeGateway.problem(404, """
                {"title": "Not Found", "status": 404, "detail": "no execution nope"}"""));

        CliRunner.Result result = run("logs", "nope");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).isEqualTo("error: no execution nope\n");
    }

    private CliRunner.Result run(String... args) {
        String[] withUrl = Arrays.copyOf(args, args.length + 4);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = gateway.url().toString();
        withUrl[args.length + 2] = "--api-key";
        withUrl[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, Map.of()), withUrl);
    }
}
