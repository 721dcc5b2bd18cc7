package org.escadrille.boutiques;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.boutiques.invocation.InvocationValidator;
import org.escadrille.boutiques.json.JsonDocuments;
import org.escadrille.boutiques.render.CommandLineRenderer;
import org.escadrille.boutiques.render.RenderedInvocation;
import tools.jackson.databind.JsonNode;

/**
 * The library seen as bosh's commands, for the CLI: {@code validate}, {@code invocation} and
 * {@code exec simulate}. Each reads JSON files (the only I/O of this module) and reports every problem.
 */
public final class BoutiquesCommands {

    private BoutiquesCommands() {
    }

    /** {@code bosh validate}: the problems of a descriptor file, empty when it is valid. */
    public static List<Problem> validate(Path descriptorFile) {
        try {
            Descriptor.parse(read(descriptorFile));
            return List.of();
        } catch (InvalidDescriptorException e) {
            return e.problems();
        } catch (UnreadableFileException e) {
            return List.of(new Problem("", e.getMessage()));
        }
    }

    /** {@code bosh invocation -i}: the problems of the descriptor, else of the invocation; empty when both are valid. */
    public static List<Problem> invocation(Path descriptorFile, Path invocationFile) {
        Descriptor descriptor;
        try {
            descriptor = Descriptor.parse(read(descriptorFile));
        } catch (InvalidDescriptorException e) {
            return e.problems();
        } catch (UnreadableFileException e) {
            return List.of(new Problem("", e.getMessage()));
        }
        try {
            return InvocationValidator.validate(descriptor, readJson(invocationFile));
        } catch (InvalidInvocationException e) {
            return e.problems();
        }
    }

    /**
     * {@code bosh exec simulate -i}: the command line, outputs and configuration files of an invocation.
     *
     * @param baseDirectory bosh's current directory: only outputs with uses-absolute-path depend on it
     * @throws InvalidDescriptorException when the descriptor is invalid
     * @throws InvalidInvocationException when the invocation is invalid or cannot be rendered
     */
    public static RenderedInvocation simulate(Path descriptorFile, Path invocationFile, Path baseDirectory) {
        String descriptorText;
        try {
            descriptorText = read(descriptorFile);
        } catch (UnreadableFileException e) {
            throw new InvalidDescriptorException(List.of(new Problem("", e.getMessage())));
        }
        Descriptor descriptor = Descriptor.parse(descriptorText);
        JsonNode invocation = readJson(invocationFile);
        return CommandLineRenderer.render(descriptor, invocation,
                baseDirectory.toAbsolutePath().normalize().toString());
    }

    /** The canonical JSON text of a valid descriptor (sorted keys, no insignificant whitespace). */
    public static String canonicalJson(Path descriptorFile) {
        return Descriptor.parse(readOrFail(descriptorFile)).canonicalJson();
    }

    /** The SHA-256 hex digest of a valid descriptor's canonical JSON: its identity once published. */
    public static String sha256(Path descriptorFile) {
        return Descriptor.parse(readOrFail(descriptorFile)).sha256();
    }

    private static JsonNode readJson(Path invocationFile) {
        try {
            return JsonDocuments.parse(read(invocationFile));
        } catch (JsonDocuments.MalformedJsonException | UnreadableFileException e) {
            List<Problem> problems = new ArrayList<>();
            problems.add(new Problem("", e.getMessage()));
            throw new InvalidInvocationException(problems);
        }
    }

    private static String readOrFail(Path file) {
        try {
            return read(file);
        } catch (UnreadableFileException e) {
            throw new InvalidDescriptorException(List.of(new Problem("", e.getMessage())));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UnreadableFileException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static final class UnreadableFileException extends RuntimeException {
        UnreadableFileException(String message) {
            super(message, null, false, false);
        }
    }
}
