package org.escadrille.server.provenance;

import java.io.InputStream;
import java.util.List;
import org.escadrille.server.ConflictException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.LaunchRequest;
import org.escadrille.server.montecarlo.MonteCarloSummary;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Launches again what a crate records, exactly: the same descriptor version (by its digest), the same
 * input values and files (each still in the caller's space with the SHA-256 the crate gives), and for
 * a Monte-Carlo run one static task per recorded share, with its seed and its events, so that the
 * merge adds up the same partial results. Anything that no longer matches is refused, naming it,
 * before anything is launched.
 */
@Service
public class CrateReplay {
    private static final Logger log = LoggerFactory.getLogger(CrateReplay.class);

    private final ExecutionService executions;
    private final Catalog catalog;
    private final UserFiles files;
    private final JsonMapper json;

    CrateReplay(ExecutionService executions, Catalog catalog, UserFiles files, JsonMapper json) {
        this.executions = executions;
        this.catalog = catalog;
        this.files = files;
        this.json = json;
    }

    /** Replays the crate in {@code zip} (its ZIP, as exported). */
    public ExecutionView replayZip(Account caller, InputStream zip) {
        return replay(caller, CrateReading.metadataOfZip(zip));
    }

    /** Replays the crate whose {@code ro-crate-metadata.json} is {@code metadata}. */
    public ExecutionView replay(Account caller, byte[] metadata) {
        var run = CrateReading.read(metadata, json);
        requireApplication(caller, run);
        requireInputs(caller, run);
        // A replay runs its tasks (that is what it checks), so it takes nothing from the task cache.
        var execution = run.shares().isEmpty()
                ? executions.launch(caller, new LaunchRequest(run.app(), run.version(), run.name(), run.inputs(),
                        run.iterate(), "none", null, null, null, false))
                : executions.replay(caller, new LaunchRequest(run.app(), run.version(), run.name(), run.inputs(),
                        run.iterate(), "static", null, run.executionId(), null, false), recordedShares(run));
        log.info("execution {} replays the RO-Crate of execution {} for {}", execution.id(), run.executionId(), caller.username());
        return execution;
    }

    private void requireApplication(Account caller, RecordedRun run) {
        String wanted = run.app() + " " + run.version() + " (descriptor sha256:" + run.digest() + ")";
        try {
            var listed = catalog.find(run.app(), run.version(), caller);
            if (!listed.digest().equals(run.digest())) {
                throw new ConflictException("the catalogue's " + run.app() + " " + run.version() + " is another descriptor"
                        + " (sha256:" + listed.digest() + ") than the one the crate ran, " + wanted
                        + ": publish that descriptor again to replay it");
            }
        } catch (NotFoundException e) {
            throw new ConflictException("the catalogue no longer has " + wanted + ", which the crate ran"
                    + ": publish that descriptor again (it is descriptor.json in the crate) to replay it");
        }
    }

    private void requireInputs(Account caller, RecordedRun run) {
        for (var input : run.inputFiles()) {
            if (input.changedAfterLaunch()) {
                throw new ConflictException("input file " + input.path() + " had been written again after the execution"
                        + " was launched when the crate was made: the crate cannot say which content the tasks read,"
                        + " so a replay of it could not be exact");
            }
            String now;
            try {
                now = files.stat(caller, UserPath.of(input.path())).sha256();
            } catch (NotFoundException e) {
                throw new ConflictException("input file " + input.path() + " (sha256 " + input.sha256() + ") is no longer"
                        + " in your space: upload it again at that path to replay the crate");
            }
            if (now == null || !now.equals(input.sha256())) {
                throw new ConflictException("input file " + input.path() + " has changed since the crate was written"
                        + " (its sha256 is now " + now + ", the crate ran " + input.sha256() + ")"
                        + ": put the original back at that path to replay the crate");
            }
        }
    }

    /** The recorded run as the replay of one of the caller's own executions would read it. */
    private static MonteCarloSummary recordedShares(RecordedRun run) {
        long total = run.shares().stream().mapToLong(RecordedRun.Share::events).sum();
        List<MonteCarloSummary.TaskShare> shares = run.shares().stream()
                .map(share -> new MonteCarloSummary.TaskShare(share.taskId(), share.index(), share.seed(), share.events(),
                        share.events(), "SUCCEEDED"))
                .toList();
        return new MonteCarloSummary(run.split(), total, total, null, shares, null);
    }
}
