package org.escadrille.server.footprint;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.scheduling.TaskQueries.UsageGroup;
import org.springframework.stereotype.Service;

/**
 * The footprint of an execution, of a user and of the platform, from their ended attempts: each group
 * of attempts (same site, same host processor) gets its site's PUE and carbon intensity and its
 * processor's power per core (docs/footprint.md). A running execution's footprint is reused for up
 * to {@link #FRESH_MS} (clients poll its view several times a second), an ended one's for
 * {@link #ENDED_FRESH_MS} (CARMIN clients poll ended executions too; only a site's factors, changed by an
 * admin, could change it), the platform's for {@link #PLATFORM_FRESH_MS} (it sums every attempt ever,
 * for each metrics scrape).
 */
@Service
public class Footprints {
    static final long FRESH_MS = 2_000;
    static final long ENDED_FRESH_MS = 60_000;
    static final long PLATFORM_FRESH_MS = 30_000;

    private final TaskQueries queries;
    private final SiteFactors sites;
    private final ProcessorPower processors;
    private final EscadrilleProperties.Footprint defaults;
    private final Clock clock;
    /** Bounded: every execution polled leaves one. */
    private final Cache<String, Recent> recent = Caffeine.newBuilder().maximumSize(10_000).build();

    Footprints(TaskQueries queries, SiteFactors sites, EscadrilleProperties properties, Clock clock) {
        this.queries = queries;
        this.sites = sites;
        this.defaults = properties.footprint();
        this.processors = new ProcessorPower(defaults.powerPerCore());
        this.clock = clock;
    }

    /**
     * The footprint of an execution's ended attempts; {@code ended}: the execution has ended, and its sum is
     * kept apart from the ones read while it ran (the last of which may lack its last attempts).
     */
    public Footprint ofExecution(String executionId, boolean ended) {
        return cached((ended ? "ended execution " : "execution ") + executionId, ended ? ENDED_FRESH_MS : FRESH_MS,
                () -> sum(queries.usage(executionId, null, 0)));
    }

    /** The footprint of a user's executions whose attempts ended since {@code since} (null: all time). */
    public Footprint ofUser(String userId, Instant since) {
        return sum(queries.usage(null, userId, since == null ? 0 : since.toEpochMilli()));
    }

    /** The footprint of every attempt the platform ran. */
    public Footprint ofPlatform() {
        return cached("platform", PLATFORM_FRESH_MS, () -> sum(queries.usage(null, null, 0)));
    }

    /** Each ended attempt of an execution by id, with its own footprint. */
    public Map<String, Footprint.OfAttempt> ofAttempts(String executionId) {
        var attempts = new LinkedHashMap<String, Footprint.OfAttempt>();
        queries.attemptUsage(executionId).forEach((id, usage) -> {
            double wh = energyWh(usage);
            attempts.put(id, new Footprint.OfAttempt(wh, GreenAlgorithms.carbonGrams(wh, carbonIntensity(usage.site())),
                    usage.wasted()));
        });
        return attempts;
    }

    /**
     * The footprint of the attempt that gave each of these tasks its result, by task id: what a task
     * that reused one's outputs (the task cache, a re-run of what failed) saved by not running.
     */
    public Map<String, Footprint.OfAttempt> ofResults(Collection<String> taskIds) {
        var results = new LinkedHashMap<String, Footprint.OfAttempt>();
        queries.resultAttemptUsage(taskIds).forEach((id, usage) -> {
            double wh = energyWh(usage);
            results.put(id, new Footprint.OfAttempt(wh, GreenAlgorithms.carbonGrams(wh, carbonIntensity(usage.site())), false));
        });
        return results;
    }

    Footprint sum(List<UsageGroup> groups) {
        double wh = 0;
        double grams = 0;
        double wasted = 0;
        int attempts = 0;
        for (UsageGroup group : groups) {
            double groupWh = energyWh(group);
            wh += groupWh;
            grams += GreenAlgorithms.carbonGrams(groupWh, carbonIntensity(group.site()));
            wasted += group.wasted() ? groupWh : 0;
            attempts += group.attempts();
        }
        return Footprint.of(wh, grams, wasted, attempts);
    }

    private double energyWh(UsageGroup usage) {
        return GreenAlgorithms.energyWh(usage.coreSeconds(), usage.gbSeconds(), processors.wattsPerCore(usage.cpuModel()),
                pue(usage.site()));
    }

    private double pue(String site) {
        Double pue = site == null ? null : sites.of(site).pue();
        return pue == null ? defaults.pue() : pue;
    }

    private double carbonIntensity(String site) {
        Double intensity = site == null ? null : sites.of(site).carbonIntensity();
        return intensity == null ? defaults.carbonIntensity() : intensity;
    }

    private Footprint cached(String key, long freshMs, Supplier<Footprint> read) {
        long now = clock.millis();
        Recent known = recent.getIfPresent(key);
        // A clock set back makes the sum stale rather than fresh for as long.
        if (known != null && now >= known.atMs() && now - known.atMs() < freshMs) {
            return known.footprint();
        }
        var footprint = read.get();
        recent.put(key, new Recent(now, footprint));
        return footprint;
    }

    private record Recent(long atMs, Footprint footprint) {
    }
}
