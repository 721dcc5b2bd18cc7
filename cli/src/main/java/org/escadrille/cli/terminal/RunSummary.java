package org.escadrille.cli.terminal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.cli.api.Execution;

/** The one line that ends {@code escadrille run}: what ran, how long, how much CPU, and where the results are. */
public final class RunSummary {
    private RunSummary() {
    }

    /** E.g. {@code Finished 4b1f pi in 3.2 s, 1 task, 1.1 CPU·s, 0.00573 Wh, 0.00272 g CO2e; 1 output in ./escadrille-results/4b1f/}. */
    public static String finished(Execution execution, Duration elapsed, int outputs, String shownDir) {
        List<String> facts = facts(execution, elapsed);
        String where = outputs == 0 ? "no outputs" : HumanUnits.count(outputs, "output") + " in " + shownDir;
        return execution.status() + " " + execution.id() + " " + execution.app() + " in " + String.join(", ", facts)
                + "; " + where;
    }

    /** E.g. {@code ExecutionFailed 4b1f pi after 3.2 s, 2 tasks (1 failed): exit code 3 in task 0}. */
    public static String failed(Execution execution, Duration elapsed) {
        String error = execution.error() == null || execution.error().isBlank()
                ? "the server gave no reason"
                : execution.error();
        int failedTasks = execution.tasks().failed();
        String tasks = HumanUnits.count(execution.tasks().total(), "task")
                + (failedTasks > 0 ? " (" + failedTasks + " failed)" : "");
        String footprint = execution.footprint() == null ? ""
                : ", " + HumanUnits.footprint(execution.footprint().energyWh(), execution.footprint().carbonGrams());
        return execution.status() + " " + execution.id() + " " + execution.app() + " after "
                + HumanUnits.duration(duration(execution, elapsed)) + ", " + tasks + footprint + ": " + error;
    }

    private static List<String> facts(Execution execution, Duration elapsed) {
        List<String> facts = new ArrayList<>();
        facts.add(HumanUnits.duration(duration(execution, elapsed)));
        facts.add(HumanUnits.count(execution.tasks().total(), "task"));
        if (execution.cpuSeconds() != null) {
            facts.add(HumanUnits.cpuSeconds(execution.cpuSeconds()));
        }
        if (execution.footprint() != null) {
            facts.add(HumanUnits.footprint(execution.footprint().energyWh(), execution.footprint().carbonGrams()));
        }
        return facts;
    }

    /** The server's own times when it gave both ends, else what this client measured. */
    private static Duration duration(Execution execution, Duration elapsed) {
        if (execution.createdAt() != null && execution.endedAt() != null) {
            return execution.age(execution.endedAt());
        }
        return elapsed;
    }
}
