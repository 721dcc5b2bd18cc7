package org.escadrille.server.site;

import java.util.List;
import java.util.Map;

/**
 * A new site, or a change to one: every field may be left out (null): a new site then gets the
 * defaults, a changed one keeps what it had. {@code name} and {@code kind} are for new sites only.
 */
public record SiteChange(String name, String kind, Boolean enabled, Map<String, String> settings, Integer maxQueued,
                         Integer maxRunning, Integer maxSlots, Integer slotsPerPilot, Long memoryMbPerPilot,
                         List<String> tags) {
}
