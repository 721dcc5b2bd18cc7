package org.escadrille.server.site;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.BackendKind;
import org.escadrille.server.backend.SiteConfig;
import org.springframework.stereotype.Component;

/**
 * The kinds a site may be: every {@link BackendKind} bean, by its name, and {@code manual} (pilots
 * started by hand, no engine). The factory reads a few settings itself, whatever the kind; the
 * engine gets the others.
 */
@Component
public class SiteKinds {
    /** Settings every elastic site understands, read by the factory and passed to its pilots. */
    static final Map<String, String> FACTORY_SETTINGS = Map.of(
            "idle-timeout", "how long a pilot waits without work before it leaves (e.g. 120s, 10m); default escadrille.sites.idle-timeout",
            "sandbox", "how the pilots isolate host tasks: auto, bwrap or none (their --sandbox)",
            SiteFootprintFactors.PUE, "the power usage effectiveness of the site's data centre, for the footprint; default escadrille.footprint.pue",
            SiteFootprintFactors.CARBON_INTENSITY, "gCO2e per kWh of the site's electricity, for the footprint; default escadrille.footprint.carbon-intensity");
    /** The settings a manual site may have: only those of the footprint (it has no engine). */
    private static final Set<String> MANUAL_SETTINGS = Set.of(SiteFootprintFactors.PUE, SiteFootprintFactors.CARBON_INTENSITY);

    private final Map<String, BackendKind> kinds = new TreeMap<>();

    SiteKinds(List<BackendKind> kinds) {
        kinds.forEach(kind -> this.kinds.put(kind.name(), kind));
    }

    /** Every kind's name. */
    public Set<String> names() {
        var names = new TreeSet<>(kinds.keySet());
        names.add(Site.MANUAL);
        return names;
    }

    /** The settings of a kind, name → meaning, the factory's included ({@code manual} has only the footprint's). */
    public Map<String, String> settings(String kind) {
        var settings = new LinkedHashMap<String, String>();
        if (kinds.containsKey(kind)) {
            settings.putAll(new TreeMap<>(kinds.get(kind).settings()));
            new TreeMap<>(FACTORY_SETTINGS).forEach(settings::putIfAbsent);
        } else if (Site.MANUAL.equals(kind)) {
            MANUAL_SETTINGS.forEach(key -> settings.put(key, FACTORY_SETTINGS.get(key)));
        }
        return settings;
    }

    /**
     * Checks a site's kind and settings as its engine would, without keeping the backend.
     *
     * @throws IllegalArgumentException naming the kind or setting to fix
     */
    void check(String name, String kind, Map<String, String> settings) {
        SiteFootprintFactors.check(name, settings);
        if (Site.MANUAL.equals(kind)) {
            new SiteConfig(name, settings).onlyKnown(MANUAL_SETTINGS);
            return;
        }
        open(name, kind, settings).close();
    }

    /** A backend for the site, or null for a manual one. */
    Backend open(Site site) {
        return Site.MANUAL.equals(site.kind()) ? null : open(site.name(), site.kind(), site.settings());
    }

    private Backend open(String name, String kind, Map<String, String> settings) {
        BackendKind engine = kinds.get(kind);
        if (engine == null) {
            throw new IllegalArgumentException("unknown kind '" + kind + "': a site is one of " + names());
        }
        var engineSettings = new HashMap<>(settings);
        // The factory's own settings, unless the engine declares them itself (it then reads them too).
        FACTORY_SETTINGS.keySet().stream().filter(key -> !engine.settings().containsKey(key)).forEach(engineSettings::remove);
        var sandbox = settings.get("sandbox");
        if (sandbox != null && !List.of("auto", "bwrap", "none").contains(sandbox.strip())) {
            throw new IllegalArgumentException("site " + name + ": the setting 'sandbox' must be auto, bwrap or none, not '"
                    + sandbox + "'");
        }
        new SiteConfig(name, settings).duration("idle-timeout", null);
        return engine.open(new SiteConfig(name, engineSettings));
    }
}
