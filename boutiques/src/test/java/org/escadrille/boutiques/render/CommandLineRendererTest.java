package org.escadrille.boutiques.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.InvalidInvocationException;
import org.escadrille.boutiques.invocation.FileValues;
import org.escadrille.boutiques.json.JsonDocuments;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CommandLineRendererTest {

    private static final Descriptor TOOL = Descriptor.parse("""
            {"name": "sim", "tool-version": "1", "description": "d", "schema-version": "0.5",
             "command-line": "sim [CONFIG] [INPUT] [EVENTS] [VERBOSE] [SCALE] -o [OUT]",
             "environment-variables": [{"name": "SEED", "value": "[SEED]"}, {"name": "MODE", "value": "fast"}],
             "inputs": [
               {"id": "input", "name": "i", "type": "File", "value-key": "[INPUT]", "list": true, "list-separator": ","},
               {"id": "events", "name": "e", "type": "Number", "integer": true, "value-key": "[EVENTS]",
                "command-line-flag": "--events", "command-line-flag-separator": "="},
               {"id": "seed", "name": "s", "type": "Number", "integer": true, "value-key": "[SEED]", "default-value": 7},
               {"id": "scale", "name": "x", "type": "Number", "value-key": "[SCALE]", "optional": true},
               {"id": "verbose", "name": "v", "type": "Flag", "command-line-flag": "-v", "value-key": "[VERBOSE]",
                "optional": true}],
             "output-files": [
               {"id": "out", "name": "o", "value-key": "[OUT]", "path-template": "results/[INPUT]_[EVENTS].csv",
                "path-template-stripped-extensions": [".nii.gz"], "uses-absolute-path": true},
               {"id": "config", "name": "c", "value-key": "[CONFIG]", "path-template": "sim.conf",
                "command-line-flag": "-c", "file-template": ["events = [EVENTS]", "seed = [SEED]", "scale = [SCALE]"]}]}
            """);

    @Test
    void rendersFlagsSeparatorsListsDefaultsAndPythonNumbers() {
        // bosh strips extensions from, and takes the basename of, the whole joined list
        RenderedInvocation r = CommandLineRenderer.render(TOOL, JsonDocuments.parse("""
                {"input": ["a b.nii.gz", "c.nii.gz"], "events": 1000, "verbose": true, "scale": 0.00001}"""), "/work");
        assertThat(r.commandLine())
                .isEqualTo("sim -c sim.conf 'a b.nii.gz',c.nii.gz --events=1000 -v 1e-05 -o '/work/results/a b,c_1000.csv'");
        assertThat(r.outputs()).containsEntry("out", "/work/results/a b,c_1000.csv").containsEntry("config", "sim.conf");
    }

    @Test
    void configurationFilesDropLinesWhoseInputHasNoValue() {
        RenderedInvocation r = CommandLineRenderer.render(TOOL, JsonDocuments.parse("""
                {"input": ["x"], "events": 5}"""), "/work");
        assertThat(r.configFiles()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("sim.conf");
            assertThat(f.content()).isEqualTo("events = 5\nseed = 7\n");
        });
    }

    @Test
    void environmentTakesTheInputValueWhenItsValueIsAValueKey() {
        RenderedInvocation r = CommandLineRenderer.render(TOOL, JsonDocuments.parse("""
                {"input": ["x"], "events": 5, "seed": 42}"""), "/work");
        assertThat(r.environment()).containsExactly(Map.entry("SEED", "42"), Map.entry("MODE", "fast"));
    }

    @Test
    void stagedFilePathsReplaceTheUserPathsBeforeRendering() {
        ObjectNode given = (ObjectNode) JsonDocuments.parse("""
                {"input": ["/home/ada/data/x.nii.gz"], "events": 5}""");
        ObjectNode staged = FileValues.replace(TOOL, given, path -> "inputs/" + PosixPaths.basename(path));
        assertThat(CommandLineRenderer.render(TOOL, staged, "/scratch/task-1").commandLine())
                .isEqualTo("sim -c sim.conf inputs/x.nii.gz --events=5 -o /scratch/task-1/results/x_5.csv");
    }

    @Test
    void aFileNamedLikeAnOptionIsPassedAsAPathAndSoAreOutputsNamedAfterIt() {
        Descriptor gzip = Descriptor.parse("""
                {"name": "gzip", "tool-version": "1", "description": "d", "schema-version": "0.5",
                 "command-line": "gzip --keep [INPUT] [OTHERS] > [OUT]",
                 "inputs": [
                   {"id": "input", "name": "i", "type": "File", "value-key": "[INPUT]"},
                   {"id": "others", "name": "o", "type": "File", "value-key": "[OTHERS]", "list": true, "optional": true}],
                 "output-files": [{"id": "out", "name": "o", "value-key": "[OUT]", "path-template": "[INPUT].gz"}]}""");

        RenderedInvocation r = CommandLineRenderer.render(gzip, JsonDocuments.parse("""
                {"input": "--help", "others": ["-r", "plain-name", "dir/-x"]}"""), "/work");

        assertThat(r.commandLine()).isEqualTo("gzip --keep ./--help ./-r plain-name dir/-x > ./--help.gz");
        assertThat(r.outputs()).as("where the output is, unchanged").containsEntry("out", "--help.gz");
    }

    @Test
    void invalidInvocationListsEveryProblem() {
        assertThatThrownBy(() -> CommandLineRenderer.render(TOOL, JsonDocuments.parse("""
                {"input": "x", "events": 1.5, "colour": "red"}"""), "/work"))
                .isInstanceOfSatisfying(InvalidInvocationException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.location())
                        .containsExactlyInAnyOrder("/input", "/events", "/colour"));
    }
}
