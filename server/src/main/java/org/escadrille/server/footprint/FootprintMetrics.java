package org.escadrille.server.footprint;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The platform's footprint for Prometheus: {@code escadrille_footprint_energy_wh_total} and
 * {@code escadrille_footprint_carbon_grams_total}, read from the attempts when scraped (at most every
 * 30 s: {@link Footprints#PLATFORM_FRESH_MS}).
 */
@Component
class FootprintMetrics {
    FootprintMetrics(Footprints footprints, MeterRegistry registry) {
        FunctionCounter.builder("escadrille.footprint.energy.wh", footprints, f -> f.ofPlatform().energyWh())
                .description("energy of every ended attempt, PUE included (Green Algorithms; docs/footprint.md)")
                .register(registry);
        FunctionCounter.builder("escadrille.footprint.carbon.grams", footprints, f -> f.ofPlatform().carbonGrams())
                .description("grams of CO2e of every ended attempt (Green Algorithms; docs/footprint.md)")
                .register(registry);
    }
}
