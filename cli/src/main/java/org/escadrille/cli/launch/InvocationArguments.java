package org.escadrille.cli.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the inputs of {@code escadrille run}: {@code name=value} arguments (a repeated name makes a
 * list; {@code name=@path} a local file or directory to upload; {@code @@} a literal {@code @}) laid
 * over the values of a Boutiques invocation file, whose strings on File inputs are uploaded when they
 * name local files.
 */
public final class InvocationArguments {
    private static final Pattern INPUT_ID = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Path workingDir;
    private final Path home;

    /** Relative local paths are resolved against {@code workingDir}; {@code ~/} against {@code home}. */
    public InvocationArguments(Path workingDir, Path home) {
        this.workingDir = workingDir;
        this.home = home;
    }

    /** Reads an invocation file: a JSON object from input id to value. */
    public static JsonNode readInvocation(Path file, JsonMapper json) {
        try {
            JsonNode invocation = json.readTree(Files.readAllBytes(file));
            if (invocation == null || !invocation.isObject()) {
                throw new InvalidArgumentsException("the invocation " + file
                        + " is not a JSON object of input ids to values, e.g. {\"events\": 1000000}");
            }
            return invocation;
        } catch (IOException e) {
            throw new InvalidArgumentsException("cannot read the invocation " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new InvalidArgumentsException("the invocation " + file + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Merges the invocation (may be null) with the assignments; an input named on the command line
     * replaces its value in the invocation. The invocation's values stay as they are: see
     * {@link #withLocalInvocationFiles}.
     */
    public LaunchInputs parse(List<String> assignments, JsonNode invocation) {
        Map<String, InputValues> inputs = new LinkedHashMap<>();
        if (invocation != null) {
            invocation.properties().forEach(entry -> inputs.put(entry.getKey(), fromInvocation(entry.getValue())));
        }
        Map<String, List<InputValue>> typed = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals < 0) {
                throw new InvalidArgumentsException("'" + assignment
                        + "' is not an input: write name=value (the application's name comes first, once)");
            }
            String id = assignment.substring(0, equals);
            if (!INPUT_ID.matcher(id).matches()) {
                throw new InvalidArgumentsException("'" + assignment
                        + "': an input name is made of letters, digits, '_', '.' and '-'");
            }
            typed.computeIfAbsent(id, key -> new ArrayList<>()).add(fromArgument(id, assignment.substring(equals + 1)));
        }
        typed.forEach((id, values) -> {
            inputs.remove(id);
            inputs.put(id, new InputValues(values, values.size() > 1));
        });
        return new LaunchInputs(inputs);
    }

    private InputValue fromArgument(String id, String value) {
        if (value.startsWith("@@")) {
            return new InputValue.Text(value.substring(1));
        }
        if (!value.startsWith("@")) {
            return new InputValue.Text(value);
        }
        String path = value.substring(1);
        if (path.isEmpty()) {
            throw new InvalidArgumentsException(id + "=@ names no file: write " + id + "=@path/to/file");
        }
        Path local = localPath(path);
        if (local == null || !Files.exists(local)) {
            throw new InvalidArgumentsException(id + "=@" + path + ": no file or directory at "
                    + (local == null ? path : local) + " (write @@ for a value that starts with @)");
        }
        return new InputValue.LocalFile(local);
    }

    /**
     * Marks for upload the invocation's strings that are given to File inputs ({@code fileInputs},
     * from the descriptor) and name existing local files; other strings are paths in the user's space.
     */
    public LaunchInputs withLocalInvocationFiles(LaunchInputs inputs, Set<String> fileInputs) {
        Map<String, InputValues> resolved = new LinkedHashMap<>();
        inputs.inputs().forEach((id, given) -> resolved.put(id, !fileInputs.contains(id)
                ? given
                : new InputValues(given.values().stream().map(this::localFileOrAsIs).toList(), given.asList())));
        return new LaunchInputs(resolved);
    }

    private InputValue localFileOrAsIs(InputValue value) {
        if (value instanceof InputValue.Literal(JsonNode json) && json.isString()) {
            Path local = localPath(json.asString());
            if (local != null && Files.exists(local)) {
                return new InputValue.LocalFile(local);
            }
        }
        return value;
    }

    private static InputValues fromInvocation(JsonNode value) {
        if (value.isArray() && !value.isEmpty()) {
            List<InputValue> values = new ArrayList<>();
            value.values().forEach(element -> values.add(new InputValue.Literal(element)));
            return new InputValues(values, true);
        }
        return new InputValues(List.of(new InputValue.Literal(value)), false);
    }

    private Path localPath(String path) {
        try {
            Path resolved = path.equals("~") ? home
                    : path.startsWith("~/") ? home.resolve(path.substring(2))
                    : workingDir.resolve(path);
            return resolved.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
