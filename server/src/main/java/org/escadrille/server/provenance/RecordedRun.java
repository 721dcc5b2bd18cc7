package org.escadrille.server.provenance;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a replay needs of a crate: the application by name, version and digest, the input values, the
 * input files with their checksums, and for a Monte-Carlo run each task's seed and events.
 *
 * @param split  how a Monte-Carlo run was split, or null for ordinary tasks
 * @param shares each Monte-Carlo task's seed and events, in task order; empty for ordinary tasks
 */
record RecordedRun(String executionId, String name, String app, String version, String digest,
                   Map<String, JsonNode> inputs, String iterate, String split, List<Share> shares,
                   List<CrateFacts.InputFile> inputFiles) {

    RecordedRun {
        inputs = Map.copyOf(inputs);
        shares = List.copyOf(shares);
        inputFiles = List.copyOf(inputFiles);
    }

    /** One Monte-Carlo task's part of the run. */
    record Share(String taskId, int index, long seed, long events) {
    }
}
