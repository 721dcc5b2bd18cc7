package org.escadrille.cli.api;

import tools.jackson.databind.JsonNode;

/**
 * A decoded reply together with the JSON it came from, so that {@code --json} prints what the server
 * said, including fields this client does not know.
 */
public record Reply<T>(T value, JsonNode json) {
    public String prettyJson() {
        return json.toPrettyString();
    }
}
