package org.escadrille.server.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/** Finds an execution's small CSV outputs and makes plots of those that are numeric tables. */
@Component
class OutputPlots {
    static final long MAX_BYTES = 256 * 1024;
    static final int MAX_PLOTS = 4;
    private final UserFiles files;

    OutputPlots(UserFiles files) {
        this.files = files;
    }

    /** An output's path from the execution's folder: its name, and the task's folder in a sweep. */
    private static String relative(String path, String outputDir) {
        return path.startsWith(outputDir + "/") ? path.substring(outputDir.length() + 1) : path;
    }

    List<CsvPlot> of(Account owner, ExecutionView execution) {
        var plots = new ArrayList<CsvPlot>();
        // a Monte-Carlo run's merged results stand for its tasks' partial ones
        boolean merged = execution.outputs().stream().anyMatch(ExecutionView.OutputView::merged);
        for (var output : execution.outputs()) {
            if (merged && !output.merged()) {
                continue;
            }
            String name = output.path().toLowerCase(Locale.ROOT);
            if (plots.size() >= MAX_PLOTS || output.size() > MAX_BYTES
                    || !(name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt"))) {
                continue;
            }
            try (InputStream in = files.open(owner, UserPath.of(output.path()))) {
                String text = new String(in.readNBytes((int) MAX_BYTES), StandardCharsets.UTF_8);
                CsvPlot.of(relative(output.path(), execution.outputDir()), text).ifPresent(plots::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NotFoundException deletedSince) {
                // the user deleted the output from their space: nothing to draw
            }
        }
        return plots;
    }
}
