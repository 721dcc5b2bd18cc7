package org.escadrille.cli.launch;

import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/** One value given to an input: typed text, a local file or directory to upload first, or a value of an invocation file. */
public sealed interface InputValue {
    /** Text from the command line; the server converts it to the input's type. */
    record Text(String value) implements InputValue {
    }

    /** A local file or directory (absolute), sent as the path where it is uploaded. */
    record LocalFile(Path path) implements InputValue {
    }

    /** A value of an invocation file, sent as it is. */
    record Literal(JsonNode value) implements InputValue {
    }
}
