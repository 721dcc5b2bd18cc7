package org.escadrille.server.scheduling;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Expires leases that no heartbeat renewed, every half second, and replicates stragglers every two. */
@Component
class LeaseExpiry {
    private final Scheduler scheduler;

    LeaseExpiry(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Scheduled(fixedDelay = 500)
    void expireLeases() {
        scheduler.expireLeases();
    }

    @Scheduled(fixedDelay = 2_000)
    void replicateStragglers() {
        scheduler.replicateStragglers();
    }
}
