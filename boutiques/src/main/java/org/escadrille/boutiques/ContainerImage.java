package org.escadrille.boutiques;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** The container the tool runs in: docker or singularity image (with optional index and options), or rootfs url. */
public record ContainerImage(String type, String image, String index, String url, boolean entrypoint,
        List<String> containerOpts, String workingDirectory, String containerHash) {

    public ContainerImage {
        Objects.requireNonNull(type, "type");
        containerOpts = List.copyOf(containerOpts);
    }

    static ContainerImage fromJson(JsonNode c) {
        return new ContainerImage(Fields.text(c, "type"), Fields.text(c, "image"), Fields.text(c, "index"),
                Fields.text(c, "url"), Fields.flag(c, "entrypoint"), Fields.texts(c, "container-opts"),
                Fields.text(c, "working-directory"), Fields.text(c, "container-hash"));
    }
}
