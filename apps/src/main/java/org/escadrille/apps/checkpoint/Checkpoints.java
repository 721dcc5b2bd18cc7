package org.escadrille.apps.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The tool's side of Escadrille's Monte-Carlo checkpoints (docs/monte-carlo.md): the result files of
 * exactly {@code events} events, written whole into {@code dir/<events>/} (in a hidden directory
 * first, renamed into place, so that a reader never sees half of one), the older checkpoints deleted.
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    /**
     * @param files each output's path as the tool was told to write it (a relative path keeps its
     *              directories under the checkpoint; an absolute one keeps only its name), and its content
     * @return false if it could not be written (a checkpoint is insurance: the run goes on without it)
     */
    public static boolean write(Path dir, long events, Map<Path, String> files) {
        try {
            Path partial = dir.resolve("." + events + ".partial");
            for (var file : files.entrySet()) {
                Path path = file.getKey();
                Path target = partial.resolve(path.isAbsolute() ? path.getFileName() : path);
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            }
            Path done = dir.resolve(Long.toString(events));
            Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path older : entries.filter(p -> !p.equals(done) && p.getFileName().toString().matches("\\d+")).toList()) {
                    deleteTree(older);
                }
            }
            return true;
        } catch (IOException e) {
            System.err.println("checkpoint of " + events + " events not written: " + e.getMessage());
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
