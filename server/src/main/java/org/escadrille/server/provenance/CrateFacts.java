package org.escadrille.server.provenance;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;

/**
 * What a crate says of one ended execution, gathered before anything is written.
 *
 * @param inputs       the File inputs' files, with their checksums
 * @param attemptSites the site of each attempt, by attempt id
 * @param embedded     the output paths whose bytes the crate's ZIP holds (the others it names with their checksum)
 */
record CrateFacts(ExecutionView execution, Application application, List<TaskView> tasks, List<InputFile> inputs,
                  Map<String, String> attemptSites, String escadrilleVersion, Set<String> embedded) {

    CrateFacts {
        tasks = List.copyOf(tasks);
        inputs = List.copyOf(inputs);
        attemptSites = Map.copyOf(attemptSites);
        embedded = Set.copyOf(embedded);
    }

    /**
     * A file of the owner's space that an input named, as it was when the crate was written.
     *
     * @param changedAfterLaunch whether it was written again after the execution was launched: its
     *                           checksum then describes the file now, not what the tasks read
     */
    record InputFile(String path, long size, String sha256, boolean changedAfterLaunch) {
    }
}
