package org.escadrille.server.scheduling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The scheduler as Prometheus sees it ({@code /actuator/prometheus}): queue depth per user, running
 * tasks, live pilots, dispatch and outcome counters, and the latency of lease requests that got work.
 */
@Component
public class SchedulerMetrics {
    private final MeterRegistry registry;
    private final Counter dispatched;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter lost;
    private final Counter retried;
    private final Counter blackHoles;
    private final Timer leaseLatency;
    private final Counter turnedAway;
    private final MultiGauge queuedByUser;
    private final Map<String, Long> queued = new ConcurrentHashMap<>();

    SchedulerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.dispatched = Counter.builder("escadrille.tasks.dispatched").description("attempts handed to pilots").register(registry);
        this.succeeded = Counter.builder("escadrille.attempts.succeeded").description("attempts that ended well").register(registry);
        this.failed = Counter.builder("escadrille.attempts.failed").description("attempts that failed on their pilot").register(registry);
        this.lost = Counter.builder("escadrille.attempts.lost").description("attempts whose pilot died or stopped answering").register(registry);
        this.retried = Counter.builder("escadrille.tasks.retried").description("tasks queued again after a failed or lost attempt").register(registry);
        this.blackHoles = Counter.builder("escadrille.pilots.blackholes").description("pilots found failing fast and drained").register(registry);
        this.leaseLatency = Timer.builder("escadrille.lease.latency").description("time to answer a lease request that got work")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        this.turnedAway = Counter.builder("escadrille.leases.turned.away")
                .description("lease requests answered at once to come back later: as many others were waiting already")
                .register(registry);
        this.queuedByUser = MultiGauge.builder("escadrille.queue.depth").description("tasks waiting, per user").register(registry);
    }

    /** Gauges that read the scheduler's state when scraped. */
    void watch(Supplier<Integer> running, Supplier<Integer> liveSlots, Supplier<Integer> waitingLeases,
               Supplier<Double> heartbeatIntervalSeconds) {
        Gauge.builder("escadrille.pilots.heartbeat.interval", () -> heartbeatIntervalSeconds.get()).baseUnit("seconds")
                .description("the heartbeat interval pilots running tasks are told now (paced by their number)")
                .register(registry);
        Gauge.builder("escadrille.leases.waiting", () -> waitingLeases.get())
                .description("pilots' lease requests waiting for work (long polls)").register(registry);
        Gauge.builder("escadrille.tasks.running", () -> running.get()).description("tasks leased to pilots").register(registry);
        Gauge.builder("escadrille.pilots.slots", () -> liveSlots.get()).description("task slots of live pilots").register(registry);
    }

    /**
     * The gauges read {@link #queued} when scraped, so that a user's gauge stays registered while they have
     * tasks waiting: re-registering each one on every refresh let a scrape meet two of the same user
     * (Prometheus then refused the whole scrape, a 500; micrometer-metrics/micrometer#6851).
     */
    void queueDepth(Map<String, Long> byUser) {
        queued.putAll(byUser);
        queued.keySet().retainAll(byUser.keySet());
        queuedByUser.register(byUser.keySet().stream()
                .map(user -> MultiGauge.Row.of(Tags.of("user", user), queued, depths -> depths.getOrDefault(user, 0L)))
                .toList(), false);
    }

    /** How many tasks wait per user, as last published: the numbers the queue-depth gauges report. */
    public Map<String, Long> queuedByUser() {
        return Map.copyOf(queued);
    }

    void dispatched(int count) {
        dispatched.increment(count);
    }

    void turnedAway() {
        turnedAway.increment();
    }

    void leaseAnswered(long nanos) {
        leaseLatency.record(Duration.ofNanos(nanos));
    }

    void succeeded() {
        succeeded.increment();
    }

    void failed() {
        failed.increment();
    }

    void lost() {
        lost.increment();
    }

    void blackHole() {
        blackHoles.increment();
    }

    void retried() {
        retried.increment();
    }
}
