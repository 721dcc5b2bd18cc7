package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.scheduling.TaskSpec;
import org.junit.jupiter.api.Test;

class TaskCacheKeyTest {
    private static final String DIGEST = "a".repeat(64);
    private static final TaskSpec.StagedInput BRAIN = new TaskSpec.StagedInput("brain.nii", "k1", 10, "1".repeat(64));
    private static final TaskSpec.StagedInput ATLAS = new TaskSpec.StagedInput("atlas.nii", "k2", 20, "2".repeat(64));

    private static TaskSpec spec(String command, List<TaskSpec.StagedInput> inputs, Map<String, String> environment,
                                 List<TaskAssignment.ConfigFile> configFiles, String image) {
        return new TaskSpec(command, inputs, List.of(), configFiles, environment, image, 0, null, null, List.of());
    }

    private static String key(TaskSpec spec) {
        return TaskCacheKey.of(DIGEST, spec);
    }

    @Test
    void theSameTaskHasTheSameKeyWhateverTheOrderOfItsInputsAndEnvironment() {
        var environment = new LinkedHashMap<String, String>();
        environment.put("A", "1");
        environment.put("B", "2");
        var reversed = new LinkedHashMap<String, String>();
        reversed.put("B", "2");
        reversed.put("A", "1");

        String one = key(spec("tool brain.nii atlas.nii", List.of(BRAIN, ATLAS), environment, List.of(), "debian:13"));
        String other = key(spec("tool brain.nii atlas.nii", List.of(ATLAS, BRAIN), reversed, List.of(), "debian:13"));

        assertThat(one).hasSize(64).isEqualTo(other);
    }

    @Test
    void everyPartThatDecidesTheOutputsChangesTheKey() {
        var base = spec("tool brain.nii", List.of(BRAIN), Map.of(), List.of(), "debian:13");
        var changedInput = new TaskSpec.StagedInput("brain.nii", "k1", 10, "3".repeat(64));

        assertThat(List.of(
                TaskCacheKey.of("b".repeat(64), base),
                key(spec("tool -v brain.nii", List.of(BRAIN), Map.of(), List.of(), "debian:13")),
                key(spec("tool brain.nii", List.of(changedInput), Map.of(), List.of(), "debian:13")),
                key(spec("tool brain.nii", List.of(BRAIN), Map.of("X", "1"), List.of(), "debian:13")),
                key(spec("tool brain.nii", List.of(BRAIN), Map.of(), List.of(new TaskAssignment.ConfigFile("c.txt", "n=1")),
                        "debian:13")),
                key(spec("tool brain.nii", List.of(BRAIN), Map.of(), List.of(), "debian:12")),
                key(spec("tool brain.nii", List.of(BRAIN), Map.of(), List.of(), null))))
                .doesNotContain(key(base))
                .doesNotHaveDuplicates();
    }

    @Test
    void textsCannotRunIntoEachOther() {
        assertThat(key(spec("tool", List.of(), Map.of("AB", "C"), List.of(), null)))
                .isNotEqualTo(key(spec("tool", List.of(), Map.of("A", "BC"), List.of(), null)));
    }

    @Test
    void aTaskWithAnInputOfUnknownChecksumHasNoKey() {
        var unknown = new TaskSpec.StagedInput("brain.nii", "k1", 10, null);

        assertThat(key(spec("tool brain.nii", List.of(unknown), Map.of(), List.of(), null))).isNull();
    }
}
