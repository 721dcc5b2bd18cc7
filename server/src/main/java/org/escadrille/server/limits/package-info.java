/**
 * Fair limits per user: how many executions a user may have not ended at once, from the user's own
 * limit, else the most generous of their groups', else {@code escadrille.limits.max-running-executions}.
 * Owns the {@code user_limits} and {@code group_limits} tables; uses {@code account} (who is in which
 * group, through {@code GroupMembership}) and the root package. {@code execution} asks it at each launch.
 */
package org.escadrille.server.limits;
