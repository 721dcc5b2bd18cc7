package org.escadrille.server.limits;

/** An admin changed a user's or a group's limit on running executions: waiting launches may start now. */
public record RunningLimitChanged() {
}
