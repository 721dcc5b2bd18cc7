/**
 * The pilot protocol, version 1: the records exchanged between the server and its pilots over
 * HTTP/JSON under {@code /api/pilot/v1}, and their JSON form ({@link ProtocolJson}).
 *
 * <p>The exchange, in order: {@link PilotRegistration} → {@link PilotRegistered}; then, in a loop,
 * {@link LeaseRequest} (long poll) → {@link LeaseGrant} with {@link TaskAssignment}s; while tasks run,
 * one {@link Heartbeat} for all of a pilot's attempts → {@link HeartbeatReply} carrying
 * {@link Order}s; inputs are downloaded and outputs uploaded as streams at the URLs of the
 * assignment; an attempt ends with a {@link Completion} carrying its {@link ResourceUsage}.
 * Compiled for Java 17: pilots run on the older JREs of compute nodes.
 */
package org.escadrille.protocol;
