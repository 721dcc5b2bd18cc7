package org.escadrille.server.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.scheduling.TaskSpec;
import org.junit.jupiter.api.Test;

/** A descriptor's suggested resources become what its tasks need of a pilot. */
class TaskResourcesTest {

    @Test
    void coresRamInGigabytesAndTheWalltimeEstimateAreCarried() {
        var resources = TaskResources.of(descriptor("""
                "suggested-resources": {"cpu-cores": 4, "ram": 1.5, "walltime-estimate": 90.2},""").suggestedResources());

        assertThat(resources).isEqualTo(new TaskSpec.Resources(4, 1_536, 91));
    }

    @Test
    void withoutSuggestedResourcesATaskNeedsOneCoreAndNoMemory() {
        assertThat(TaskResources.of(descriptor("").suggestedResources())).isEqualTo(TaskSpec.Resources.DEFAULT);
        assertThat(TaskResources.of(descriptor("""
                "suggested-resources": {"disk-space": 10},""").suggestedResources()))
                .isEqualTo(new TaskSpec.Resources(1, 0, 0));
    }

    private static Descriptor descriptor(String resources) {
        return Descriptor.parse("""
                {"name": "t", "tool-version": "1", "schema-version": "0.5", "description": "d", %s
                 "command-line": "echo [X]",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true}]}""".formatted(resources));
    }
}
