package org.escadrille.server.site;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where pilots run: an engine ({@code kind}) with its settings, bounds on how many pilots it gets, the
 * tags its pilots offer, and its health as the factory last saw it.
 *
 * @param settings the engine's settings and the factory's own ({@link SiteKinds#FACTORY_SETTINGS}), as typed
 */
public record Site(String name, String kind, boolean enabled, Map<String, String> settings, Limits limits,
                   List<String> tags, Instant createdAt, String createdBy, Health health) {
    /** The kind of sites whose pilots people start by hand with the site's token. */
    public static final String MANUAL = "manual";
    /** The kind, and the name, of the site of the server's own child processes. */
    public static final String LOCAL = "local";
    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");

    public Site {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        settings = Map.copyOf(settings);
        tags = List.copyOf(tags);
        health = health == null ? Health.NONE : health;
    }

    /** Whether the factory submits pilots for queued work only (every kind but {@code local}, which keeps its pilots). */
    public boolean elastic() {
        return !LOCAL.equals(kind);
    }

    /** Whether a task needing these tags may run on this site's pilots. */
    public boolean offers(Set<String> taskTags) {
        return tags.containsAll(taskTags);
    }

    Site with(boolean enabled, Map<String, String> settings, Limits limits, List<String> tags) {
        return new Site(name, kind, enabled, settings, limits, tags, createdAt, createdBy, health);
    }

    Site with(Health health) {
        return new Site(name, kind, enabled, settings, limits, tags, createdAt, createdBy, health);
    }

    /**
     * @param maxQueued     most pilots waiting in the engine's queue at once
     * @param maxRunning    most pilots alive at once (waiting or running)
     * @param maxSlots      most task slots of all its pilots together
     * @param slotsPerPilot the slots each pilot gets ({@code --slots})
     * @param memoryMbPerPilot memory each pilot offers its tasks, or null for what its host has
     */
    public record Limits(int maxQueued, int maxRunning, int maxSlots, int slotsPerPilot, Long memoryMbPerPilot) {
        public static final Limits DEFAULTS = new Limits(2, 10, 64, 1, null);
    }

    /**
     * @param consecutiveFailures failed submissions and pilots that died before registering, since the last good start
     * @param failingSince        when the first of those failures happened, or null while healthy
     * @param backoffUntil        no submission before then
     */
    public record Health(Instant lastSubmissionAt, int consecutiveFailures, Instant failingSince, String lastError,
                         Instant backoffUntil) {
        public static final Health NONE = new Health(null, 0, null, null, null);

        public boolean healthy() {
            return consecutiveFailures == 0;
        }
    }
}
