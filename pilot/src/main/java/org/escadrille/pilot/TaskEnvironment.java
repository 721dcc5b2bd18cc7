package org.escadrille.pilot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.escadrille.protocol.TaskAssignment;

/**
 * The clean environment a task runs with: nothing of the pilot's (least of all its token) but a
 * PATH, HOME and TMPDIR in the working directory, a UTF-8 locale, the assignment's variables and the
 * task's ids.
 *
 * @param taskPath the PATH given to tasks that run on the host
 */
record TaskEnvironment(String taskPath) {

    /** The variables for a command run directly on the host. */
    Map<String, String> onHost(TaskAssignment assignment, WorkDirectory workDir) {
        var env = new LinkedHashMap<String, String>();
        env.put("PATH", taskPath);
        env.putAll(common(assignment, workDir));
        return env;
    }

    /** The variables for a command run in a container: its image's PATH is kept. */
    Map<String, String> inContainer(TaskAssignment assignment, WorkDirectory workDir) {
        var env = common(assignment, workDir);
        if (!assignment.environment().containsKey("PATH")) {
            env.remove("PATH");
        }
        return env;
    }

    /** The cores a task may use: {@code ESCADRILLE_CORES} or {@code OMP_NUM_THREADS} of its environment, else 1. */
    static int cores(TaskAssignment assignment) {
        for (String name : new String[] {"ESCADRILLE_CORES", "OMP_NUM_THREADS"}) {
            String value = assignment.environment().get(name);
            if (value != null) {
                try {
                    return Math.max(1, Integer.parseInt(value.strip()));
                } catch (NumberFormatException ignored) {
                    // Not a count (OMP_NUM_THREADS may be a list per nesting level): try the next one.
                }
            }
        }
        return 1;
    }

    private static Map<String, String> common(TaskAssignment assignment, WorkDirectory workDir) {
        var env = new LinkedHashMap<String, String>();
        env.put("HOME", workDir.root().toString());
        env.put("TMPDIR", workDir.tmp().toString());
        env.put("LANG", "C.UTF-8");
        // The assignment may override the defaults above (a tool's own PATH), not the ids below.
        env.putAll(assignment.environment());
        env.put("ESCADRILLE_TASK_ID", assignment.taskId());
        env.put("ESCADRILLE_ATTEMPT_ID", assignment.attemptId());
        env.put("ESCADRILLE_EXECUTION_ID", assignment.executionId() == null ? "" : assignment.executionId());
        return env;
    }
}
