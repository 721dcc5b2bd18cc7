package org.escadrille.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** Runs the {@code escadrille} command in-process with captured stdout and stderr, in a test environment. */
final class CliRunner {
    record Result(int exitCode, String out, String err) {
    }

    private CliRunner() {
    }

    /** Nothing listens at its default URL, and starting the embedded server fails the test. */
    static CliEnvironment environment(Path workingDir, Map<String, String> variables) {
        return environment(workingDir, variables, dataDir -> {
            throw new AssertionError("unit tests never start the embedded server");
        });
    }

    static CliEnvironment environment(Path workingDir, Map<String, String> variables,
            Function<Path, Endpoint> embeddedStarter) {
        return new CliEnvironment(variables, workingDir, workingDir.resolve("home"), false, Clock.systemUTC(),
                Duration.ofMillis(10), closedUrl(), embeddedStarter);
    }

    static Result run(CliEnvironment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** A loopback URL where nothing listens: a port just freed. */
    static URI closedUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
