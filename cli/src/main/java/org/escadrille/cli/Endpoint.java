package org.escadrille.cli;

import java.net.URI;

/** A gateway to talk to, with the key to use and what to close when done (the embedded server, or nothing). */
public record Endpoint(URI url, String apiKey, AutoCloseable lifetime) {
}
