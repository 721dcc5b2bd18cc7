package org.escadrille.server.execution;

import java.time.Instant;

/**
 * An execution shared read-only: with a group ({@code kind} "group") or by a link ({@code kind} "link",
 * whose {@code token} is shown once, when the link is made; only its SHA-256 is kept).
 */
public record ExecutionShare(String id, String kind, String group, Instant createdAt, String createdBy, String token) {
}
