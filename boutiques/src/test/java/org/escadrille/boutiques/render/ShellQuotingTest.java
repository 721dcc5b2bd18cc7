package org.escadrille.boutiques.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.json.JsonDocuments;
import org.junit.jupiter.api.Test;

class ShellQuotingTest {

    private static final String HOSTILE = "'; rm -rf / #";

    @Test
    void safeTextStaysAsItIs() {
        assertThat(ShellQuoting.quote("sub-01_T1w.nii.gz")).isEqualTo("sub-01_T1w.nii.gz");
        assertThat(ShellQuoting.quote("a=b,c:d@e%f+g/h")).isEqualTo("a=b,c:d@e%f+g/h");
    }

    @Test
    void emptyTextBecomesAnEmptyQuotedWord() {
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
    }

    @Test
    void shellMetacharactersAreQuotedLikePythonShlex() {
        assertThat(ShellQuoting.quote(HOSTILE)).isEqualTo("''\"'\"'; rm -rf / #'");
        assertThat(ShellQuoting.quote("coin;plop")).isEqualTo("'coin;plop'");
        assertThat(ShellQuoting.quote("$(reboot)")).isEqualTo("'$(reboot)'");
    }

    @Test
    void hostileValueReachesTheShellAsOneLiteralWord() throws Exception {
        assertThat(shellWords("printf '<%s>' " + ShellQuoting.quote(HOSTILE))).isEqualTo("<" + HOSTILE + ">");
    }

    @Test
    void renderedCommandKeepsAHostileStringOrFileValueInsideItsWord() throws Exception {
        // given a tool whose String and File values go straight onto the command line
        Descriptor tool = Descriptor.parse("""
                {"name": "echo", "tool-version": "1", "description": "d", "schema-version": "0.5",
                 "command-line": "printf '<%s>' [TEXT] [DATA]",
                 "inputs": [
                   {"id": "text", "name": "t", "type": "String", "value-key": "[TEXT]"},
                   {"id": "data", "name": "f", "type": "File", "value-key": "[DATA]"}]}
                """);
        // when a user gives shell syntax as values
        String command = CommandLineRenderer.render(tool, JsonDocuments.parse("""
                {"text": "'; rm -rf / #", "data": "$(touch pwned) `id` | cat"}"""), "/work").commandLine();
        // then each value is exactly one shell word
        assertThat(command).isEqualTo("printf '<%s>' ''\"'\"'; rm -rf / #' '$(touch pwned) `id` | cat'");
        assertThat(shellWords(command)).isEqualTo("<" + HOSTILE + "><$(touch pwned) `id` | cat>");
    }

    private static String shellWords(String script) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh to run the quoted words through");
        Path dir = Files.createTempDirectory("quoting");
        Process p = new ProcessBuilder("/bin/sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(dir.resolve("pwned")).doesNotExist();
        return out;
    }
}
