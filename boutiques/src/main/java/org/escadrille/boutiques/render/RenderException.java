package org.escadrille.boutiques.render;

/** Rendering hit a value or condition that bosh itself fails on; the renderer turns it into a problem. */
final class RenderException extends RuntimeException {
    RenderException(String message) {
        super(message, null, false, false);
    }
}
