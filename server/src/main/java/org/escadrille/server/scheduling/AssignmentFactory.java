package org.escadrille.server.scheduling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.TaskAssignment;

/** Turns a queued task into the assignment a pilot receives, with task-scoped input URLs. */
final class AssignmentFactory {
    private AssignmentFactory() {
    }

    static TaskAssignment assignment(String attemptId, TaskDefinition task) {
        return assignment(attemptId, task, 0);
    }

    /** @param stopAt the task's stop target now (a Monte-Carlo task's share), or 0 */
    static TaskAssignment assignment(String attemptId, TaskDefinition task, long stopAt) {
        TaskSpec spec = task.spec();
        var inputs = new ArrayList<TaskAssignment.InputFile>();
        for (int i = 0; i < spec.inputs().size(); i++) {
            var input = spec.inputs().get(i);
            inputs.add(new TaskAssignment.InputFile(input.path(), PilotProtocol.inputPath(attemptId, i), input.size(), input.sha256()));
        }
        var environment = new LinkedHashMap<>(spec.environment());
        return new TaskAssignment(attemptId, task.id(), task.executionId(), spec.commandLine(), inputs, spec.outputs(),
                spec.configFiles(), environment, spec.containerImage(), spec.timeLimitSeconds(),
                spec.progress() != null && stopAt > 0 ? spec.progress().withStopAt(stopAt) : spec.progress(),
                spec.network(), spec.resources().cores(), spec.resources().memoryMb(),
                spec.resources().walltimeEstimateSeconds());
    }
}
