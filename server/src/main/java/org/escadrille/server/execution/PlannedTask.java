package org.escadrille.server.execution;

import org.escadrille.server.scheduling.TaskSpec;

/** One task of an execution as the planner expands it: a label naming its parameters, and its spec. */
record PlannedTask(String label, TaskSpec spec) {
}
