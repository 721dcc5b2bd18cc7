package org.escadrille.server.execution;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.CacheSpec;
import org.escadrille.server.montecarlo.MonteCarloSpec;
import org.escadrille.server.scheduling.ReusedTask;
import org.escadrille.server.scheduling.Scheduler;
import org.escadrille.server.scheduling.TaskDefinition;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.scheduling.TaskSpec;
import org.escadrille.server.storage.StorageQuotaExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The task cache (Nextflow's {@code -resume}, Galaxy's job cache): a planned task whose cache key
 * ({@link TaskCacheKey}) matches a task of the same owner that ran and succeeded, whose outputs are
 * still as it wrote them, does not run: its outputs are copied into its folder and it is recorded
 * succeeded and cached, through the same path as a re-run of only what failed. Anything that stands
 * in the way (outputs deleted or changed, a copy that fails) is a miss, never a failed launch.
 */
@Component
class TaskCache {
    private static final Logger log = LoggerFactory.getLogger(TaskCache.class);
    /** Earlier tasks tried for one planned task, newest first, before it is a miss. */
    private static final int CANDIDATES = 3;

    private final TaskQueries tasks;
    private final OutputCopies copies;
    private final Scheduler scheduler;

    TaskCache(TaskQueries tasks, OutputCopies copies, Scheduler scheduler) {
        this.tasks = tasks;
        this.copies = copies;
        this.scheduler = scheduler;
    }

    /**
     * Whether the tasks of this application may be cached at all: not those of a Monte-Carlo tool
     * (split or not, its tasks draw seeds, and a run's tasks make up for each other), nor those of a
     * tool that says it is not deterministic ({@code "escadrille:cache": false}).
     */
    boolean covers(Application application) {
        Descriptor descriptor = Descriptor.parse(application.descriptorJson());
        return CacheSpec.parse(descriptor).cacheable() && MonteCarloSpec.parse(descriptor).spec().isEmpty();
    }

    /** The key of a task of this application (null: it has none, see {@link TaskCacheKey#of}). */
    static String key(Application application, TaskSpec spec) {
        return TaskCacheKey.of(application.digest(), spec);
    }

    /** Records the planned tasks that hit the cache (their outputs copied); answers those that must run. */
    List<TaskDefinition> reuse(Account owner, List<TaskDefinition> planned) {
        var toRun = new ArrayList<TaskDefinition>();
        var cached = new ArrayList<ReusedTask>();
        // Most launches hit nothing: which keys have a source at all is asked in a few queries for the lot.
        var keys = planned.stream().map(TaskDefinition::cacheKey).filter(Objects::nonNull).toList();
        Set<String> withSources = keys.isEmpty() ? Set.of() : tasks.keysWithSources(owner.id(), keys);
        for (TaskDefinition task : planned) {
            var hit = task.cacheKey() != null && withSources.contains(task.cacheKey()) ? hit(owner, task)
                    : Optional.<ReusedTask>empty();
            hit.ifPresentOrElse(cached::add, () -> toRun.add(task));
        }
        scheduler.recordReused(cached);
        if (!cached.isEmpty()) {
            log.info("execution {}: {} task(s) reuse cached outputs", cached.getFirst().task().executionId(), cached.size());
        }
        return toRun;
    }

    private Optional<ReusedTask> hit(Account owner, TaskDefinition task) {
        if (task.cacheKey() == null) {
            return Optional.empty();
        }
        for (String source : tasks.cacheSources(owner.id(), task.cacheKey(), CANDIDATES)) {
            var outputs = tasks.outputsOfTask(source);
            if (!copies.intact(owner, outputs)) {
                continue;
            }
            try {
                return Optional.of(new ReusedTask(task, source, copies.copy(owner, task, outputs), true));
            } catch (NotFoundException | UncheckedIOException | InvalidRequestException | StorageQuotaExceededException e) {
                // Deleted since the check, unreadable, a folder now in the way, or no room for the copies: the
                // task runs instead (and meets the same quota as any task's outputs would).
                log.info("task {} of execution {} cannot reuse the outputs of task {} ({})", task.index(),
                        task.executionId(), source, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
