/**
 * The audit log: every security-relevant act (sign-ins and their failures, accounts, roles, API keys,
 * publications, deletions), who did it, when and from where. Owns the {@code audit_events} table; uses
 * nothing of the other features, so that any of them may record into it.
 */
package org.escadrille.server.audit;
