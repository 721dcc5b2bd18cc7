package org.escadrille.server.carmin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.scheduling.LogStore;
import org.springframework.stereotype.Component;

/** An execution's logs as CARMIN returns them: whole, at most {@link #MAX_BYTES} (the rest is in each task's log). */
@Component
class TaskLogs {
    static final int MAX_BYTES = 8 << 20;
    static final int MAX_TASKS = 100;
    private final ExecutionService executions;

    TaskLogs(ExecutionService executions) {
        this.executions = executions;
    }

    /** One task's log (by its id or index), from its latest attempt. */
    byte[] task(Account caller, String executionId, String task, LogStore.LogStream stream) {
        var out = new ByteArrayOutputStream();
        append(out, caller, executionId, task, stream);
        return out.toByteArray();
    }

    /**
     * The execution's log: its task's, or with several tasks each one's in turn under a line naming it, the
     * first {@link #MAX_TASKS} of them (a sweep of thousands reads each job's log on its own).
     */
    byte[] execution(Account caller, String executionId, LogStore.LogStream stream) {
        var tasks = executions.tasks(caller, executionId);
        var out = new ByteArrayOutputStream();
        if (tasks.size() > MAX_TASKS) {
            out.writeBytes(("==> the first " + MAX_TASKS + " of " + tasks.size() + " tasks; each one's log: GET /rest/executions/"
                    + executionId + "/jobs/{index}/" + stream.name().toLowerCase(Locale.ROOT) + " <==\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        for (var task : tasks.subList(0, Math.min(tasks.size(), MAX_TASKS))) {
            if (tasks.size() > 1 && out.size() < MAX_BYTES) {
                out.writeBytes(("==> task " + task.index() + " (" + task.label() + ") <==\n").getBytes(StandardCharsets.UTF_8));
            }
            append(out, caller, executionId, task.id(), stream);
        }
        return out.toByteArray();
    }

    private void append(ByteArrayOutputStream out, Account caller, String executionId, String task, LogStore.LogStream stream) {
        long offset = 0;
        while (out.size() < MAX_BYTES) {
            var chunk = executions.log(caller, executionId, task, stream, offset);
            if (chunk.bytes().length == 0) {
                return;
            }
            out.write(chunk.bytes(), 0, Math.min(chunk.bytes().length, MAX_BYTES - out.size()));
            offset = chunk.nextOffset();
        }
    }
}
