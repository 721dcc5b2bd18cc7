package org.escadrille.cli.api;

/**
 * A piece of a task's log from some offset: its bytes, where the next piece starts, and whether the
 * log is complete (the task ended and everything was sent).
 */
public record LogChunk(byte[] bytes, long nextOffset, boolean complete) {
}
