/**
 * Provenance: every ended execution as a Workflow Run RO-Crate (the Process Run Crate profile,
 * docs/provenance.md), written and read back with ro-crate-java, and a replay launched from such a
 * crate (the same descriptor by digest, the same inputs by checksum, a Monte-Carlo run's seeds and
 * shares). Owns no table; uses {@code execution}, {@code catalog}, {@code account}, {@code storage},
 * {@code scheduling} (the sites attempts ran on) and {@code footprint}, never {@code api} or {@code portal}.
 */
package org.escadrille.server.provenance;
