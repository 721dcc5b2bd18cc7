package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.escadrille.protocol.TaskAssignment.OutputSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputMatcherTest {

    @TempDir
    Path temp;

    private WorkDirectory workDir;

    @BeforeEach
    void createFiles() throws IOException {
        workDir = new WorkDirectory(temp.resolve("a1"));
        workDir.create();
        for (String file : List.of("out/run-1/result-a.txt", "out/run-2/result-b.txt", "out/run-2/result-bb.txt",
                "out/run-2/.hidden-c.txt", "out/run 3/result-d.txt", "summary.json", "log.txt")) {
            Path path = workDir.root().resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, file);
        }
        Files.writeString(workDir.stdout(), "not an output");
    }

    @Test
    void wildcardsMatchWithinSegmentsInAnySegment() throws IOException {
        var matcher = new OutputMatcher(workDir);

        assertThat(matcher.match("out/*/result-?.txt"))
                .containsExactly("out/run 3/result-d.txt", "out/run-1/result-a.txt", "out/run-2/result-b.txt");
        assertThat(matcher.match("./summary.json")).containsExactly("summary.json");
        assertThat(matcher.match("out/run-2/*")).containsExactly("out/run-2/result-b.txt", "out/run-2/result-bb.txt");
        assertThat(matcher.match("out/run-2/.*")).containsExactly("out/run-2/.hidden-c.txt");
        assertThat(matcher.match("out")).as("a directory is not an output file").isEmpty();
    }

    @Test
    void thePilotsOwnDirectoryIsNeverAnOutput() throws IOException {
        var matcher = new OutputMatcher(workDir);

        assertThat(matcher.match("*")).containsExactly("log.txt", "summary.json");
        assertThat(matcher.match(".escadrille/stdout")).isEmpty();
    }

    @Test
    void aSymbolicLinkOutOfTheWorkingDirectoryIsIgnored() throws IOException {
        Path secret = Files.writeString(temp.resolve("secret.txt"), "not yours");
        Files.createSymbolicLink(workDir.root().resolve("leak.txt"), secret);
        Files.createSymbolicLink(workDir.root().resolve("inside.txt"), workDir.root().resolve("log.txt"));

        assertThat(new OutputMatcher(workDir).match("*.txt")).containsExactly("inside.txt", "log.txt");
    }

    @Test
    void aMissingRequiredOutputFailsWithItsIdAndPath() throws IOException {
        var specs = List.of(new OutputSpec("summary", "summary.json", false),
                new OutputSpec("histogram", "out/*.csv", false),
                new OutputSpec("extra", "extra/*.dat", true));

        assertThatThrownBy(() -> new OutputMatcher(workDir).select(specs))
                .isInstanceOf(TaskFailedException.class)
                .hasMessage("missing output histogram: out/*.csv");
    }

    @Test
    void everyFileIsSelectedOnceAndAMissingOptionalOutputIsFine() throws Exception {
        var specs = List.of(new OutputSpec("summary", "summary.json", false),
                new OutputSpec("all", "*.json", false),
                new OutputSpec("extra", "extra/*.dat", true));

        assertThat(new OutputMatcher(workDir).select(specs)).containsExactly("summary.json");
    }
}
