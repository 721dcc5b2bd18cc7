package org.escadrille.server.execution;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.Page;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.footprint.Footprint;
import org.escadrille.server.footprint.Footprints;
import org.escadrille.server.montecarlo.MonteCarloRuns;
import org.escadrille.server.montecarlo.MonteCarloSummary;
import org.escadrille.server.scheduling.LogStore;
import org.escadrille.server.scheduling.TaskDefinition;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.scheduling.TaskStatus;
import org.escadrille.server.storage.UserPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executions: launched from a request (validated, expanded into tasks, queued), watched, killed.
 * Every read checks ownership: another user's execution is not found, except by an admin, who may read
 * (list, show, tasks, logs) anyone's; acting on one (rename, kill, stop, re-run) stays its owner's.
 */
@Service
public class ExecutionService {
    /** The value of {@code owner} (in {@link #list(Account, String, ExecutionFilter, int, int)}) that stands for every user. */
    public static final String EVERYONE = "*";
    private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);

    private final ExecutionRepository executions;
    private final Catalog catalog;
    private final TaskPlanner planner;
    private final Scheduler scheduler;
    private final LogStore logs;
    private final MonteCarloLaunch monteCarloLaunch;
    private final MonteCarloRuns monteCarlo;
    private final ExecutionProgress progress;
    private final JsonMapper json;
    private final LaunchLimits limits;
    private final Clock clock;
    private final UsageSums usageSums;
    private final Footprints footprints;
    private final TaskCache cache;
    private final boolean cacheEnabled;
    private final RunningGate gate;
    private final ResultRetention retention;
    private final ExecutionShares shares;

    ExecutionService(ExecutionRepository executions, Catalog catalog, TaskPlanner planner, Scheduler scheduler,
                     LogStore logs, MonteCarloLaunch monteCarloLaunch, MonteCarloRuns monteCarlo,
                     ExecutionProgress progress, JsonMapper json, LaunchLimits limits, Footprints footprints,
                     TaskCache cache, EscadrilleProperties properties, RunningGate gate, ResultRetention retention,
                     ExecutionShares shares, Clock clock) {
        this.gate = gate;
        this.retention = retention;
        this.footprints = footprints;
        this.shares = shares;
        this.cache = cache;
        this.cacheEnabled = properties.taskCache().enabled();
        this.clock = clock;
        this.usageSums = new UsageSums(clock);
        this.limits = limits;
        this.executions = executions;
        this.catalog = catalog;
        this.planner = planner;
        this.scheduler = scheduler;
        this.logs = logs;
        this.monteCarloLaunch = monteCarloLaunch;
        this.monteCarlo = monteCarlo;
        this.progress = progress;
        this.json = json;
    }

    public ExecutionView launch(Account owner, LaunchRequest request) {
        return launchInto(owner, request, UserPath.of(OutputFolder.DEFAULT_PARENT), null);
    }

    /**
     * Launches as {@link #launch(Account, LaunchRequest)}, with the execution's own folder made under
     * {@code outputParent} of the owner's space instead of {@code executions} (CARMIN's
     * {@code resultsLocation}: its clients look for the results there).
     */
    public ExecutionView launch(Account owner, LaunchRequest request, UserPath outputParent) {
        return launchInto(owner, request, outputParent, null);
    }

    /**
     * Launches as {@link #launch(Account, LaunchRequest)} does; {@code reuse} (if any) takes the planned
     * tasks once the execution exists and answers those that must run (it records the others).
     */
    ExecutionView launch(Account owner, LaunchRequest request, UnaryOperator<List<TaskDefinition>> reuse) {
        return launchInto(owner, request, UserPath.of(OutputFolder.DEFAULT_PARENT), reuse);
    }

    /**
     * Launches a replay of a Monte-Carlo run recorded elsewhere (a Workflow Run RO-Crate): each task runs
     * one of {@code recorded}'s (seed, events) shares, statically, as a replay of one of the caller's own
     * executions does; {@code request.replay()} names the recorded execution.
     */
    public ExecutionView replay(Account owner, LaunchRequest request, MonteCarloSummary recorded) {
        return launchInto(owner, request, UserPath.of(OutputFolder.DEFAULT_PARENT), null,
                replayed -> replayed.equals(request.replay()) ? Optional.of(recorded) : Optional.empty());
    }

    private ExecutionView launchInto(Account owner, LaunchRequest request, UserPath outputParent,
                                     UnaryOperator<List<TaskDefinition>> reuse) {
        return launchInto(owner, request, outputParent, reuse,
                replayed -> owns(owner, replayed) ? monteCarlo.summary(replayed) : Optional.empty());
    }

    private ExecutionView launchInto(Account owner, LaunchRequest request, UserPath outputParent,
                                     UnaryOperator<List<TaskDefinition>> reuse,
                                     Function<String, Optional<MonteCarloSummary>> replayable) {
        limits.check(request);
        if (request.app() == null || request.app().isBlank()) {
            throw new InvalidRequestException("Invalid launch", "name the application to run in 'app' (see GET /api/v1/apps)",
                    List.of(new InvalidRequestException.FieldProblem("app", "is required")));
        }
        if (!request.iterate().equals("cross") && !request.iterate().equals("dot")) {
            throw new InvalidRequestException("Invalid launch", "iterate must be 'cross' or 'dot', got '" + request.iterate() + "'",
                    List.of(new InvalidRequestException.FieldProblem("iterate", "must be cross or dot")));
        }
        var application = catalog.find(request.app(), request.version(), owner);
        int priority = request.priority() == null ? 0 : request.priority();
        if (Math.abs(priority) > 1000) {
            throw new InvalidRequestException("Invalid launch", "priority must be between -1000 and 1000, got " + priority,
                    List.of(new InvalidRequestException.FieldProblem("priority", "must be between -1000 and 1000")));
        }
        String id = Ids.newId();
        String outputDir = OutputFolder.of(outputParent.value(), request, application, id, LocalDate.ofInstant(clock.instant(), ZoneId.systemDefault()));
        var plan = plan(owner, request, id, outputDir, replayable);
        long now = clock.millis();
        String name = request.name() == null || request.name().isBlank() ? application.name() : request.name().strip();
        var waits = new String[1];
        gate.admit(owner, reuse == null, why -> {
            waits[0] = why;
            executions.insert(new ExecutionRepository.Row(id, owner.id(), owner.username(), name, application.id(),
                    why == null ? ExecutionStatus.Ready : ExecutionStatus.Initializing,
                    json.writeValueAsString(request.inputs()), request.iterate(), outputDir, now, null, null, null, priority),
                    why == null ? null : json.writeValueAsString(request));
        });
        if (waits[0] != null) {
            log.info("execution {} of {} {} by {} waits: {}", id, application.name(), application.version(),
                    owner.username(), waits[0]);
            return view(owner, id);
        }
        start(owner, id, plan, reuse);
        return view(owner, id);
    }

    /**
     * Starts a launch that waited for its owner to be under their limit: planned again as it was asked
     * (its files are read now), into the folder it was given.
     */
    void startWaiting(Account owner, String id, String outputDir, LaunchRequest request) {
        var plan = plan(owner, request, id, outputDir,
                replayed -> owns(owner, replayed) ? monteCarlo.summary(replayed) : Optional.empty());
        executions.transition(id, ExecutionStatus.Ready, null, clock.millis());
        start(owner, id, plan, null);
    }

    /**
     * What a launch makes: a Monte-Carlo run's plan, or the tasks of a plain one; {@code useCache}: the
     * launch may take outputs from the task cache.
     */
    private record LaunchPlan(Application application, Optional<MonteCarloRuns.Plan> run, List<PlannedTask> tasks,
                              String outputDir, int priority, boolean useCache) {
    }

    private LaunchPlan plan(Account owner, LaunchRequest request, String id, String outputDir,
                            Function<String, Optional<MonteCarloSummary>> replayable) {
        var application = catalog.find(request.app(), request.version(), owner);
        int priority = request.priority() == null ? 0 : request.priority();
        var splittable = monteCarloLaunch.splittable(application, request);
        var runPlan = splittable.map(spec -> monteCarloLaunch.plan(id, application, spec, request, owner, outputDir,
                monteCarlo, replayable));
        var planned = runPlan.isPresent() ? List.<PlannedTask>of() : planner.plan(application, request, owner);
        limits.checkPlanned(planned.size());
        return new LaunchPlan(application, runPlan, planned, outputDir, priority, cacheEnabled && request.usesCache());
    }

    private void start(Account owner, String id, LaunchPlan plan, UnaryOperator<List<TaskDefinition>> reuse) {
        var tasks = new ArrayList<TaskDefinition>();
        if (plan.run().isPresent()) {
            tasks.addAll(monteCarlo.start(plan.run().get()));
        }
        // A task of a Monte-Carlo run is never a cache source: it has no key.
        boolean cacheable = plan.run().isEmpty() && cache.covers(plan.application());
        var planned = plan.tasks();
        for (int i = 0; i < planned.size(); i++) {
            var task = planned.get(i);
            String taskDir = planned.size() == 1 ? plan.outputDir() : plan.outputDir() + "/" + task.label();
            tasks.add(new TaskDefinition(Ids.newId(), id, owner, i, task.label(), taskDir, task.spec(), plan.priority(),
                    cacheable ? TaskCache.key(plan.application(), task.spec()) : null));
        }
        var toRun = reuse == null ? tasks : reuse.apply(tasks);
        if (plan.useCache()) {
            toRun = cache.reuse(owner, toRun);
        }
        if (!toRun.isEmpty()) {
            scheduler.submit(toRun);
        } else if (!tasks.isEmpty()) {
            // Every task reused outputs: no task will end to move the execution on, so it ends now.
            progress.tasksEnded(id);
        }
        log.info("execution {} of {} {} by {}: {} task(s){}", id, plan.application().name(), plan.application().version(),
                owner.username(), tasks.size(), toRun.size() == tasks.size() ? "" : ", " + toRun.size() + " to run");
    }

    /**
     * Plans a launch as {@link #launch} would, creating nothing: the same checks (invalid inputs throw
     * the same way), the same planning, for a Monte-Carlo run the same split.
     */
    public LaunchPreview preview(Account owner, LaunchRequest request) {
        limits.check(request);
        var application = catalog.find(request.app(), request.version(), owner);
        var splittable = monteCarloLaunch.splittable(application, request);
        var run = splittable.map(spec -> monteCarloLaunch.plan("preview", application, spec, request, owner,
                "executions/preview", monteCarlo,
                replayed -> owns(owner, replayed) ? monteCarlo.summary(replayed) : Optional.empty()));
        var planned = planner.plan(application, request, owner);
        var first = planned.getFirst();
        return run.map(plan -> new LaunchPreview(plan.tasks(), first.label(), first.spec().commandLine(),
                        plan.totalEvents(), plan.split().name().toLowerCase(Locale.ROOT)))
                .orElseGet(() -> new LaunchPreview(planned.size(), first.label(), first.spec().commandLine(), null, null));
    }

    /** One of the caller's executions, with its footprint. */
    public ExecutionView view(Account caller, String id) {
        var row = owned(caller, id);
        return view(row, executions.outputs(id), footprints.ofExecution(id, row.endedAt() != null));
    }

    /**
     * Any execution the caller may read: one of theirs, or anyone's for an admin (who sees its owner in
     * {@link ExecutionView#owner()}).
     */
    public ExecutionView read(Account caller, String id) {
        var row = readable(caller, id);
        return view(row, executions.outputs(id), footprints.ofExecution(id, row.endedAt() != null));
    }

    /**
     * The execution a shared link shows, to whoever holds the link (signed in or not); a revoked or
     * unknown link is not found.
     */
    public ExecutionView readShared(String token) {
        var row = executions.findVisible(shares.executionOfToken(token))
                .orElseThrow(() -> new NotFoundException("no shared execution at this link (it may have been deleted)"));
        return view(row, executions.outputs(row.id()), footprints.ofExecution(row.id(), row.endedAt() != null));
    }

    /** A page of the caller's executions, newest first, with how many there are in all. */
    public Page<ExecutionView> list(Account caller, int offset, int limit) {
        return list(caller, ExecutionFilter.ALL, offset, limit);
    }

    /** A page of the caller's executions that pass the filter, newest first, with how many pass it. */
    public Page<ExecutionView> list(Account caller, ExecutionFilter filter, int offset, int limit) {
        var rows = executions.byOwner(caller.id(), filter, offset, limit);
        return new Page<>(rows.stream().map(row -> view(row, executions.outputs(row.id()), null)).toList(), offset,
                executions.countByOwner(caller.id(), filter));
    }

    /**
     * A page of the executions of {@code owner} (a user name, {@value #EVERYONE} for every user, blank for
     * the caller's own) that pass the filter, newest first. Only admins may name an owner, or every user;
     * a group administrator may name a member of their group.
     *
     * @throws AccessDeniedException when a user who is not an admin names an owner
     */
    public Page<ExecutionView> list(Account caller, String owner, ExecutionFilter filter, int offset, int limit) {
        if (owner == null || owner.isBlank()) {
            return list(caller, filter, offset, limit);
        }
        if (!caller.isAdmin() && (owner.strip().equals(EVERYONE) || !shares.administersAGroupOf(caller, owner.strip()))) {
            throw new AccessDeniedException("only admins may list other users' executions (and group administrators"
                    + " those of their groups' members): leave out 'owner'");
        }
        String username = owner.strip().equals(EVERYONE) ? null : owner.strip();
        var rows = executions.byOwnerName(username, filter, offset, limit);
        return new Page<>(rows.stream().map(row -> view(row, executions.outputs(row.id()), null)).toList(), offset,
                executions.countByOwnerName(username, filter));
    }

    /** The caller's executions not ended and waiting, against their limit. */
    public RunningExecutions runningExecutions(Account caller) {
        return gate.count(caller);
    }

    /** The names of the applications the caller's executions ran. */
    public List<String> appsRun(Account caller) {
        return executions.appNames(caller.id());
    }

    /**
     * The tasks of an execution and their attempts; a running attempt's CPU seconds and peak memory are
     * the latest its pilot relayed (the database has them only once it ends).
     */
    public List<TaskView> tasks(Account caller, String id) {
        readable(caller, id);
        var attemptFootprints = footprints.ofAttempts(id);
        var listed = executions.tasks(id);
        var sources = listed.stream().map(TaskView::reusedFrom).filter(Objects::nonNull).toList();
        var saved = footprints.ofResults(sources);
        var tasks = listed.stream().map(task -> task.withFootprints(attemptFootprints).withSaved(saved)).toList();
        var running = tasks.stream().flatMap(task -> task.attempts().stream())
                .filter(attempt -> attempt.endedAt() == null).map(TaskView.AttemptView::id).toList();
        if (running.isEmpty()) {
            return tasks;
        }
        var usage = scheduler.liveUsage(running);
        return usage.isEmpty() ? tasks : tasks.stream().map(task -> task.withLiveUsage(usage)).toList();
    }

    /** Gives an execution another name (its output folder keeps the one it was made with). */
    public ExecutionView rename(Account caller, String id, String name) {
        owned(caller, id);
        limits.check(new LaunchRequest("rename", null, name, null, null));
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("Invalid name", "an execution's name cannot be empty",
                    List.of(new InvalidRequestException.FieldProblem("name", "is empty")));
        }
        executions.rename(id, name.strip());
        return view(caller, id);
    }

    public ExecutionView kill(Account caller, String id) {
        var row = owned(caller, id);
        if (!row.status().isTerminal()) {
            executions.transition(id, ExecutionStatus.Killed, "killed by " + caller.username(), clock.millis());
            monteCarlo.killed(id);
            scheduler.cancelExecution(id);
            log.info("execution {} killed by {}", id, caller.username());
        }
        return view(caller, id);
    }

    /**
     * Stop and merge: a Monte-Carlo run ends now with what its tasks simulated so far. Running tasks
     * are told to stop and upload their partial results, queued ones are dropped, and the merge runs as
     * for a normal end; the execution then shows Finished with the events actually simulated. Repeating
     * it is harmless.
     *
     * @throws ConflictException for an execution that has ended or is not a Monte-Carlo run
     */
    public ExecutionView stop(Account caller, String id) {
        var row = owned(caller, id);
        if (row.status().isTerminal()) {
            throw new ConflictException("execution " + id + " has already ended (" + row.status()
                    + "): there is nothing to stop");
        }
        if (!monteCarlo.isRun(id)) {
            throw new ConflictException("execution " + id + " is not a Monte-Carlo run: only a run's tasks can stop "
                    + "early and have what they simulated merged; kill it instead (POST /api/v1/executions/" + id + "/kill)");
        }
        monteCarlo.stopAndMerge(id, caller.username()).ifPresent(outcome -> progress.concluded(id, outcome));
        return view(caller, id);
    }

    /** A chunk of a task's log, from its latest attempt. */
    public LogChunk log(Account caller, String id, String taskId, LogStore.LogStream stream, long offset) {
        readable(caller, id);
        var tasks = executions.tasks(id);
        var task = taskId == null || taskId.isBlank()
                ? tasks.stream().findFirst()
                : tasks.stream().filter(t -> t.id().equals(taskId) || Integer.toString(t.index()).equals(taskId)).findFirst();
        var found = task.orElseThrow(() -> new NotFoundException("execution " + id + " has no task " + taskId));
        if (offset < 0) {
            throw new InvalidRequestException("Invalid offset", "offset must not be negative");
        }
        boolean ended = TaskStatus.valueOf(found.status()).isTerminal();
        if (found.attempts().isEmpty()) {
            return new LogChunk(new byte[0], offset, ended, false);
        }
        String attemptId = found.attempts().getLast().id();
        byte[] bytes = logs.read(attemptId, stream, offset, 1 << 20);
        boolean complete = ended && logs.read(attemptId, stream, offset + bytes.length, 1).length == 0;
        return new LogChunk(bytes, offset + bytes.length, complete, true);
    }

    /**
     * Bytes of a log from an offset, the offset after them, whether nothing more will come, and whether
     * the task ever had an attempt (an empty log of a task that never ran is no silent task).
     */
    public record LogChunk(byte[] bytes, long nextOffset, boolean complete, boolean ran) {
    }

    private boolean owns(Account caller, String id) {
        return executions.findVisible(id).filter(row -> row.ownerId().equals(caller.id())).isPresent();
    }

    private ExecutionRepository.Row owned(Account caller, String id) {
        return executions.findVisible(id)
                .filter(row -> row.ownerId().equals(caller.id()))
                .orElseThrow(() -> new NotFoundException("no execution " + id + " (among yours)"));
    }

    /**
     * What an admin may read of anyone's, and a group's members of an execution shared with it or of a
     * member of a group they administer: another user's execution is otherwise not found.
     */
    private ExecutionRepository.Row readable(Account caller, String id) {
        return executions.findVisible(id)
                .filter(row -> row.ownerId().equals(caller.id()) || caller.isAdmin()
                        || shares.readsThroughAGroup(caller, row.id(), row.ownerName()))
                .orElseThrow(() -> new NotFoundException("no execution " + id + " (among yours)"));
    }

    private ExecutionView view(ExecutionRepository.Row row, List<ExecutionView.OutputView> outputs, Footprint footprint) {
        var application = catalog.byId(row.appId());
        Map<String, Integer> counts = executions.taskCounts(row.id());
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        var taskCounts = new ExecutionView.TaskCounts(total,
                counts.getOrDefault("QUEUED", 0),
                counts.getOrDefault("LEASED", 0) + counts.getOrDefault("RUNNING", 0),
                counts.getOrDefault("SUCCEEDED", 0) + counts.getOrDefault("STOPPED", 0),
                counts.getOrDefault("FAILED", 0),
                counts.getOrDefault("CANCELLED", 0));
        double[] usage = usageSums.of(row.id(), row.endedAt() != null, () -> executions.usage(row.id()));
        var allOutputs = new ArrayList<ExecutionView.OutputView>();
        monteCarlo.mergedOutputs(row.id()).forEach(m ->
                allOutputs.add(new ExecutionView.OutputView(m.path(), m.outputId(), m.size(), m.sha256(), null, true)));
        allOutputs.addAll(outputs);
        return new ExecutionView(row.id(), row.name(), application.name(), application.version(), application.digest(),
                row.ownerName(), row.status(), Instant.ofEpochMilli(row.createdAt()), instant(row.startedAt()),
                instant(row.endedAt()), json.readTree(row.invocation()), row.iterate(), row.outputDir(), taskCounts,
                usage[0], usage[1], row.error(), allOutputs, monteCarlo.summary(row.id()).orElse(null), footprint,
                row.waiting() && !row.status().isTerminal() ? gate.whyWaiting(row.ownerId(), row.ownerName()) : null,
                retention.deletionNotice(row.endedAt()).orElse(null));
    }

    private static Instant instant(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
