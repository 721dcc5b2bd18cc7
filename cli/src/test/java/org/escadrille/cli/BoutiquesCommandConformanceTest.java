package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code escadrille boutiques validate|invocation|simulate --json} give bosh's answers on every case of
 * {@code ../shared/specs/boutiques/cases.json}: the exit code (0 valid, 1 invalid) and, for accepted
 * invocations, the same command line and output paths. Each case runs from its descriptor's folder,
 * the current directory bosh had when the cases were computed.
 */
class BoutiquesCommandConformanceTest {
    private static final String MISSING = "../shared/specs/boutiques is not beside this repository (a user's clone "
            + "has no shared/ folder): the Boutiques conformance data is unavailable";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> everyCaseGetsBoshAnswersThroughTheCli() throws IOException {
        Path specs = specsFolder();
        assumeTrue(specs != null, MISSING);
        JsonNode cases = JSON.readTree(Files.readString(specs.resolve("cases.json")));
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = String.format("%03d %s%s", i, c.get("descriptor").asString(),
                    c.has("invocation") ? " + " + c.get("invocation").asString() : "");
            tests.add(DynamicTest.dynamicTest(name, () -> check(specs, c)));
        }
        return tests.stream();
    }

    private static void check(Path specs, JsonNode c) {
        // given the case's files, named relative to the descriptor's folder, the working directory
        Path descriptor = specs.resolve(c.get("descriptor").asString()).normalize();
        Path folder = descriptor.getParent();
        CliEnvironment env = CliRunner.environment(folder, Map.of());
        boolean valid = c.get("valid").booleanValue();
        String bosh = c.path("error").asString("valid");
        String descriptorArg = folder.relativize(descriptor).toString();

        if (!c.has("invocation")) {
            // when validating the descriptor
            CliRunner.Result result = CliRunner.run(env, "boutiques", "validate", descriptorArg);
            // then the exit code is bosh's decision
            assertThat(result.exitCode()).as("bosh says %s; we said %s%s", bosh, result.out(), result.err())
                    .isEqualTo(valid ? 0 : BoutiquesCommand.INVALID);
            return;
        }
        String invocationArg = folder.relativize(specs.resolve(c.get("invocation").asString()).normalize()).toString();

        // when checking the invocation, then simulating it
        CliRunner.Result checked = CliRunner.run(env, "boutiques", "invocation", descriptorArg, "-i", invocationArg);
        CliRunner.Result simulated = CliRunner.run(env, "boutiques", "simulate", descriptorArg, "-i", invocationArg,
                "--json");

        // then both exit codes are bosh's decision, and an accepted invocation renders as bosh did
        assertThat(checked.exitCode()).as("invocation: bosh says %s; we said %s", bosh, checked.err())
                .isEqualTo(valid ? 0 : BoutiquesCommand.INVALID);
        assertThat(simulated.exitCode()).as("simulate: bosh says %s; we said %s%s", bosh, simulated.out(),
                simulated.err()).isEqualTo(valid ? 0 : BoutiquesCommand.INVALID);
        if (!valid) {
            assertThat(simulated.out()).as("a refused invocation prints nothing on stdout").isEmpty();
            assertThat(simulated.err()).as("it says why on stderr").isNotBlank();
            return;
        }
        JsonNode printed = JSON.readTree(simulated.out());
        assertThat(printed.propertyNames()).containsExactly("command_line", "outputs");
        assertThat(printed.get("command_line").asString()).isEqualTo(c.get("command_line").asString());
        assertThat(printed.get("outputs")).isEqualTo(c.get("outputs"));
    }

    @Test
    void simulateJsonIsTheTextPythonsJsonDumpsWrites(@TempDir Path dir) throws IOException {
        // given values with quotes, a backslash, a tab, accents and a character outside the BMP
        Files.writeString(dir.resolve("tool.json"), """
                {"name": "t", "tool-version": "1", "description": "d", "schema-version": "0.5",
                 "command-line": "echo [WORDS]",
                 "inputs": [{"id": "words", "name": "Words", "type": "String", "value-key": "[WORDS]"}],
                 "output-files": [{"id": "out", "name": "Out", "path-template": "[WORDS].txt"}]}
                """);
        Files.writeString(dir.resolve("invocation.json"), """
                {"words": "h\\u00e9 \\\\ \\"x\\"\\t\\ud83d\\ude00"}
                """);

        // when simulating with --json
        var result = CliRunner.run(CliRunner.environment(dir, Map.of()), "boutiques", "simulate", "tool.json",
                "-i", "invocation.json", "--json");

        // then the text is what json.dumps({"command_line": ..., "outputs": ...}) prints, byte for byte
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                {"command_line": "echo 'h\\u00e9 \\\\ \\"x\\"\\t\\ud83d\\ude00'", \
                "outputs": {"out": "h\\u00e9 \\\\ \\"x\\"\\t\\ud83d\\ude00.txt"}}
                """);
    }

    /** {@code <escadrille.repo.root>/../shared/specs/boutiques}, or null when it is not there. */
    private static Path specsFolder() {
        String root = System.getProperty("escadrille.repo.root");
        if (root == null || root.isBlank()) {
            return null;
        }
        Path folder = Path.of(root).resolve("../shared/specs/boutiques").toAbsolutePath().normalize();
        return Files.isRegularFile(folder.resolve("cases.json")) ? folder : null;
    }
}
