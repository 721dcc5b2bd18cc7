package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.escadrille.cli.api.Problem;
import org.escadrille.cli.api.ProblemException;
import org.escadrille.cli.api.UnreachableException;
import org.escadrille.cli.launch.InvalidArgumentsException;
import org.escadrille.cli.transfer.IntegrityException;
import org.escadrille.cli.transfer.LocalFileException;
import org.junit.jupiter.api.Test;

class FailureReportTest {
    private static ProblemException problem(int status, String detail, List<Problem.FieldError> errors) {
        return new ProblemException(new Problem("about:blank", "Title", status, detail, errors),
                "POST http://localhost:8080/api/v1/executions");
    }

    @Test
    void aClientErrorPrintsTheDetailAndEachFieldAndExitsWithTwo() {
        FailureReport report = FailureReport.of(problem(400, "2 problems in the inputs of pi: fix them",
                List.of(new Problem.FieldError("inputs.events", "must be a number, got \"ten\""),
                        new Problem.FieldError("inputs.seed", "must be at least 0"))));

        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.lines()).containsExactly(
                "error: 2 problems in the inputs of pi: fix them",
                "  inputs.events: must be a number, got \"ten\"",
                "  inputs.seed: must be at least 0");
    }

    @Test
    void aProblemWithoutDetailFallsBackToItsTitle() {
        FailureReport report = FailureReport.of(problem(404, null, List.of()));

        assertThat(report.lines()).containsExactly("error: Title");
    }

    @Test
    void anUnauthorisedCallSaysWhereTheKeyComesFrom() {
        FailureReport report = FailureReport.of(problem(401, "a valid API key is required", List.of()));

        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.lines().get(1)).contains("--api-key").contains("ESCADRILLE_API_KEY").contains("admin.key");
    }

    @Test
    void aServerErrorExitsWithThreeAndNamesTheRequest() {
        FailureReport report = FailureReport.of(problem(500, "database unavailable", List.of()));

        assertThat(report.exitCode()).isEqualTo(3);
        assertThat(report.lines()).containsExactly("error: database unavailable",
                "  (HTTP 500 from POST http://localhost:8080/api/v1/executions; the server's log says more)");
    }

    @Test
    void anUnreachableServerExitsWithThreeAndSaysWhatToDo() {
        FailureReport report = FailureReport.of(
                UnreachableException.refused(URI.create("http://localhost:8080"), new ConnectException()));

        assertThat(report.exitCode()).isEqualTo(3);
        assertThat(report.lines()).singleElement().asString()
                .contains("http://localhost:8080")
                .contains("start it with ./escadrille serve, or use --embedded");
    }

    @Test
    void localMistakesExitWithTwo() {
        assertThat(FailureReport.of(new InvalidArgumentsException("bad")).exitCode()).isEqualTo(2);
        assertThat(FailureReport.of(new LocalFileException("cannot write", null)).exitCode()).isEqualTo(2);
        assertThat(FailureReport.of(new UsageException("--url x is not a URL")).exitCode()).isEqualTo(2);
    }

    @Test
    void corruptOutputsAndUnexpectedFailuresExitWithThree() {
        assertThat(FailureReport.of(new IntegrityException("sha mismatch")).exitCode()).isEqualTo(3);
        FailureReport unexpected = FailureReport.of(new IllegalStateException("boom"));
        assertThat(unexpected.exitCode()).isEqualTo(3);
        assertThat(unexpected.lines()).singleElement().asString().contains("boom").contains("ESCADRILLE_DEBUG");
    }

    @Test
    void anEmbeddedServerThatCannotStartExitsWithThree() {
        FailureReport report = FailureReport.of(UnreachableException.embeddedFailed(Path.of("/data"),
                new UnsupportedOperationException("not built yet")));

        assertThat(report.exitCode()).isEqualTo(3);
        assertThat(report.lines()).singleElement().asString().contains("/data").contains("not built yet");
    }
}
