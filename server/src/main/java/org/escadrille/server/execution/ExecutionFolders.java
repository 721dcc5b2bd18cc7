package org.escadrille.server.execution;

import java.util.ArrayList;
import java.util.Optional;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/** Which execution a folder of the user's space holds the outputs of, so that the data manager can link back to it. */
@Component
public class ExecutionFolders {
    private final ExecutionRepository executions;

    ExecutionFolders(ExecutionRepository executions) {
        this.executions = executions;
    }

    /** The execution that wrote into a folder: its own folder, or one of its tasks' folders below it. */
    public record Origin(String id, String name, String outputDir) {
    }

    /** The owner's execution whose output folder is {@code folder} or one of its parents, if one is. */
    public Optional<Origin> origin(Account owner, UserPath folder) {
        var candidates = new ArrayList<String>();
        for (var at = folder; !at.isRoot(); at = at.parent()) {
            candidates.add(at.value());
        }
        return executions.byOutputDir(owner.id(), candidates)
                .map(row -> new Origin(row.id(), row.name(), row.outputDir()));
    }
}
