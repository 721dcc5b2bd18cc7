package org.escadrille.server.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.TreeMap;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.server.scheduling.TaskSpec;

/**
 * The task cache's key of a task: the SHA-256 of what decides its outputs, in a canonical order. The
 * tool digest (the application version's descriptor SHA-256), the container image, the rendered
 * command line, and what else the descriptor renders from the parameters (configuration files and
 * environment variables, which a parameter may reach without changing the command line), then each
 * input file's name in the working directory and SHA-256, sorted by name. Every text is
 * length-prefixed so that no two different tasks can concatenate to the same bytes.
 */
final class TaskCacheKey {
    /** Changes when what the key covers changes, so that keys of older tasks no longer match. */
    private static final String VERSION = "escadrille-task-cache-1";

    private TaskCacheKey() {
    }

    /** The key, or null when an input has no recorded checksum (such a task cannot be matched safely). */
    static String of(String toolDigest, TaskSpec spec) {
        if (spec.inputs().stream().anyMatch(input -> input.sha256() == null || input.sha256().isBlank())) {
            return null;
        }
        var digest = sha256();
        add(digest, VERSION);
        add(digest, toolDigest);
        add(digest, spec.containerImage() == null ? "" : spec.containerImage());
        add(digest, spec.commandLine());
        var configFiles = spec.configFiles().stream()
                .sorted(Comparator.comparing(TaskAssignment.ConfigFile::path)).toList();
        add(digest, Integer.toString(configFiles.size()));
        for (var file : configFiles) {
            add(digest, file.path());
            add(digest, file.content());
        }
        var environment = new TreeMap<>(spec.environment());
        add(digest, Integer.toString(environment.size()));
        environment.forEach((name, value) -> {
            add(digest, name);
            add(digest, value);
        });
        var inputs = spec.inputs().stream().sorted(Comparator.comparing(TaskSpec.StagedInput::path)).toList();
        add(digest, Integer.toString(inputs.size()));
        for (var input : inputs) {
            add(digest, input.path());
            add(digest, input.sha256());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void add(MessageDigest digest, String text) {
        byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
