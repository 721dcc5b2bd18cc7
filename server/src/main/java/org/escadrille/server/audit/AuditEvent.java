package org.escadrille.server.audit;

import java.time.Instant;

/**
 * One recorded act: {@code actor} did {@code action} on {@code target} at {@code at}, from
 * {@code address}. The actor is a username, or {@link AuditLog#NOBODY} before anyone is signed in.
 */
public record AuditEvent(String id, Instant at, String actor, String action, String target, String address) {
}
