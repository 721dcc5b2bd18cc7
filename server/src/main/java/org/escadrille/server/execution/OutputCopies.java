package org.escadrille.server.execution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.scheduling.ReusedTask;
import org.escadrille.server.scheduling.TaskDefinition;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.storage.StoredFile;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/**
 * Copies an earlier task's outputs into a new task's output folder, keeping their paths relative to
 * the task's folder: how a task that does not run (re-run of what failed, task cache) gets its outputs.
 */
@Component
class OutputCopies {
    private final UserFiles files;

    OutputCopies(UserFiles files) {
        this.files = files;
    }

    /**
     * Whether every one of the outputs is still in the owner's space as the task wrote it (same
     * SHA-256): one deleted or overwritten since cannot stand for the task's result.
     */
    boolean intact(Account owner, List<TaskQueries.SuccessfulOutput> outputs) {
        for (var output : outputs) {
            try {
                StoredFile stored = files.stat(owner, UserPath.of(output.path()));
                if (output.sha256() != null && !output.sha256().equals(stored.sha256())) {
                    return false;
                }
            } catch (NotFoundException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The copies of {@code outputs} in {@code task}'s folder.
     *
     * @throws NotFoundException    when an output is no longer in the owner's space
     * @throws UncheckedIOException when one cannot be read or written
     */
    List<ReusedTask.Output> copy(Account owner, TaskDefinition task, List<TaskQueries.SuccessfulOutput> outputs) {
        var copies = new ArrayList<ReusedTask.Output>();
        for (var output : outputs) {
            String relative = output.path().startsWith(output.taskOutputDir() + "/")
                    ? output.path().substring(output.taskOutputDir().length() + 1)
                    : output.path().substring(output.path().lastIndexOf('/') + 1);
            var target = UserPath.of(task.outputDir() + "/" + relative);
            StoredFile stored;
            try (InputStream content = files.open(owner, UserPath.of(output.path()))) {
                stored = files.upload(owner, target, content);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + output.path(), e);
            }
            copies.add(new ReusedTask.Output(output.outputId(), target.value(), stored.size(), stored.sha256()));
        }
        return copies;
    }
}
