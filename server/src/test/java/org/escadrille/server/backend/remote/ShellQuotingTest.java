package org.escadrille.server.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quoted words reach the program exactly as given when a real POSIX shell reads the line, whatever they hold. */
class ShellQuotingTest {
    private static final List<String> HOSTILE = List.of("plain", "two words", "", "it's", "'", "''", "\"double\"",
            "$(touch /tmp/escadrille-injected)", "`id`", "a;b", "a && b", "a|b", "x\ny", "tab\there", "$HOME", "*", "~",
            "back\\slash", "--comment=escadrille site=a pilot=b", "#not-a-comment", "é€", "!bang", "-x", "a=b");

    @Test
    void aShellGivesBackEveryWordAsItWasGiven() throws Exception {
        var words = new ArrayList<String>();
        words.add("printf");
        words.add("%s\\0");
        words.addAll(HOSTILE);

        String printed = sh(ShellQuoting.line(words));

        assertThat(printed.split("\0", -1)).containsExactlyElementsOf(withEmptyLast(HOSTILE));
    }

    @Test
    void plainWordsStayReadable() {
        assertThat(ShellQuoting.line(List.of("sbatch", "--parsable", "--partition=debug", "/home/u/escadrille/pilot.sh")))
                .isEqualTo("sbatch --parsable '--partition=debug' /home/u/escadrille/pilot.sh");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
    }

    @Test
    void aNulCharacterIsRefused() {
        assertThatThrownBy(() -> ShellQuoting.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> withEmptyLast(List<String> words) {
        var expected = new ArrayList<>(words);
        expected.add(""); // after the last NUL
        return expected;
    }

    private static String sh(String line) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).as(Arrays.toString(output)).isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
