package org.escadrille.server.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.cfg.JsonNodeFeature;

/** Validates a descriptor for publication and gives its identity: name, version, canonical JSON, digest. */
@Component
class DescriptorCheck {
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    record Checked(String name, String version, String canonicalJson, String digest) {
    }

    Checked check(String descriptorJson) {
        JsonNode node;
        try {
            node = CANONICAL.readTree(descriptorJson);
        } catch (JacksonException e) {
            throw new InvalidRequestException("Invalid descriptor", "the descriptor is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || !node.path("name").isString() || !node.path("tool-version").isString()) {
            throw new InvalidRequestException("Invalid descriptor", "a descriptor is a JSON object with at least "
                    + "'name' and 'tool-version'", List.of());
        }
        String canonical = CANONICAL.writeValueAsString(node);
        return new Checked(node.path("name").asString(), node.path("tool-version").asString(), canonical, sha256(canonical));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
