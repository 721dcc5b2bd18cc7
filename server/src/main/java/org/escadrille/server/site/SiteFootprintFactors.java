package org.escadrille.server.site;

import java.util.Map;
import org.escadrille.server.footprint.SiteFactors;
import org.springframework.stereotype.Component;

/** A site's {@code pue} and {@code carbon-intensity} settings, for the footprint of its pilots' attempts. */
@Component
class SiteFootprintFactors implements SiteFactors {
    static final String PUE = "pue";
    static final String CARBON_INTENSITY = "carbon-intensity";

    private final SiteRepository sites;

    SiteFootprintFactors(SiteRepository sites) {
        this.sites = sites;
    }

    @Override
    public Factors of(String site) {
        return sites.find(site).map(found -> new Factors(number(found.settings().get(PUE)),
                number(found.settings().get(CARBON_INTENSITY)))).orElse(Factors.NONE);
    }

    /**
     * Checks the two settings where a site has them: a PUE is at least 1, a carbon intensity 0 or more.
     *
     * @throws IllegalArgumentException naming the setting to fix
     */
    static void check(String name, Map<String, String> settings) {
        Double pue = parse(name, PUE, settings.get(PUE));
        if (pue != null && pue < 1) {
            throw new IllegalArgumentException("site " + name + ": the setting 'pue' is a data centre's power usage"
                    + " effectiveness, at least 1 (e.g. 1.2), not " + pue);
        }
        Double intensity = parse(name, CARBON_INTENSITY, settings.get(CARBON_INTENSITY));
        if (intensity != null && intensity < 0) {
            throw new IllegalArgumentException("site " + name + ": the setting 'carbon-intensity' is in gCO2e/kWh, 0 or more,"
                    + " not " + intensity);
        }
    }

    private static Double parse(String name, String key, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double number = Double.parseDouble(value.strip());
            if (!Double.isFinite(number)) {
                throw new NumberFormatException(value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("site " + name + ": the setting '" + key + "' must be a number, not '"
                    + value + "'");
        }
    }

    private static Double number(String value) {
        try {
            return value == null || value.isBlank() ? null : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
