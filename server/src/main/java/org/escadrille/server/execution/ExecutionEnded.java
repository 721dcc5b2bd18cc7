package org.escadrille.server.execution;

/**
 * An execution reached a terminal status (Finished, failed or Killed): published once per execution, by
 * the one change of status that ended it, on the thread that made it (listeners hand slow work elsewhere).
 * {@code deleted}: it ended because it was deleted (killed first), so it has no page any more.
 */
public record ExecutionEnded(String executionId, String ownerId, String name, String appName, ExecutionStatus status,
                             String error, boolean deleted) {
}
