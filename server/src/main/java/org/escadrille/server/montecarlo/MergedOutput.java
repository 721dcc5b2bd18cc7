package org.escadrille.server.montecarlo;

/** A merged result of a Monte-Carlo execution, in its owner's space. */
public record MergedOutput(String outputId, String path, long size, String sha256) {
}
