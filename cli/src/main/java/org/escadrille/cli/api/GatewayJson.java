package org.escadrille.cli.api;

import org.escadrille.protocol.ProtocolJson;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of the CLI: the protocol's (unknown fields ignored), where a missing or null
 * number or flag reads as 0 or false, because the API leaves out fields that have their default.
 */
public final class GatewayJson {
    private static final JsonMapper MAPPER = ProtocolJson.mapper().rebuild()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private GatewayJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }
}
