package org.escadrille.boutiques.render;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What bosh would produce for one invocation: the command line, the path of every output file (glob
 * patterns left as they are), the configuration files to write before the run, and the environment.
 */
public record RenderedInvocation(String commandLine, Map<String, String> outputs, List<ConfigFile> configFiles,
        Map<String, String> environment) {

    public RenderedInvocation {
        Objects.requireNonNull(commandLine, "commandLine");
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        configFiles = List.copyOf(configFiles);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /** A configuration file: the output it belongs to, where to write it and its full text. */
    public record ConfigFile(String outputId, String path, String content) {
        public ConfigFile {
            Objects.requireNonNull(outputId, "outputId");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
        }
    }
}
