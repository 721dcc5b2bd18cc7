package org.escadrille.server.montecarlo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.escadrille.server.account.Account;
import org.escadrille.server.montecarlo.MonteCarloRepository.PartialOutput;
import org.escadrille.server.montecarlo.MonteCarloRepository.TaskRow;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/**
 * Merges a run's partial results, output by output, with the merger its descriptor names, and stores
 * each merged result at the output's own path directly under the execution's directory.
 */
@Component
class PartialMerge {
    private final UserFiles files;
    private final MonteCarloRepository runs;

    PartialMerge(UserFiles files, MonteCarloRepository runs) {
        this.files = files;
        this.runs = runs;
    }

    void merge(String executionId, Account owner, String outputDir, MonteCarloSpec spec) throws Merger.MergeException {
        var partials = simulatedSome(runs.partialOutputs(executionId), runs.tasks(executionId));
        for (var entry : spec.merge().entrySet()) {
            String outputId = entry.getKey();
            var parts = partials.stream().filter(p -> p.outputId().equals(outputId)).toList();
            if (parts.isEmpty()) {
                throw new Merger.MergeException("no task produced the output " + outputId);
            }
            var first = parts.getFirst();
            String relative = first.path().substring(first.taskOutputDir().length() + 1);
            var target = UserPath.of(outputDir).resolve(relative);
            var streams = new ArrayList<InputStream>();
            try {
                for (var part : parts) {
                    streams.add(files.open(owner, UserPath.of(part.path())));
                }
                var temporary = Files.createTempFile("escadrille-merge-", ".part");
                try {
                    try (var out = Files.newOutputStream(temporary)) {
                        Merger.of(entry.getValue()).merge(streams, out);
                    }
                    try (var in = Files.newInputStream(temporary)) {
                        var stored = files.upload(owner, target, in);
                        runs.recordMerged(executionId, outputId, stored.path(), stored.size(), stored.sha256());
                    }
                } finally {
                    Files.deleteIfExists(temporary);
                }
            } catch (Merger.MergeException e) {
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot merge " + outputId + " of execution " + executionId, e);
            } finally {
                closeAll(streams);
            }
        }
    }

    /**
     * The partial results of the tasks that simulated events. A task that started as the total was reached
     * is stopped before its first event: it adds nothing, and what it wrote may be no result at all (the
     * pi example's estimate of 0 ÷ 0 is NaN, which JSON cannot hold). All of them if no task counted events.
     */
    static List<PartialOutput> simulatedSome(List<PartialOutput> partials, List<TaskRow> tasks) {
        Set<String> idle = tasks.stream().filter(task -> task.events() == 0).map(TaskRow::taskId).collect(Collectors.toSet());
        var kept = partials.stream().filter(partial -> !idle.contains(partial.taskId())).toList();
        return kept.isEmpty() ? partials : kept;
    }

    private static void closeAll(List<InputStream> streams) {
        for (InputStream stream : streams) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // Reading is over; a failing close loses nothing.
            }
        }
    }
}
