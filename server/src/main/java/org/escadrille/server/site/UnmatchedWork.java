package org.escadrille.server.site;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.scheduling.TaskNeeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queued tasks that no enabled site can run (by the rule of {@link Demand#canRun}), with the reason:
 * they would wait for ever. Logged once when such work appears, and shown on the admin page for as
 * long as it waits. Written by the factory's round, read by the pages.
 */
final class UnmatchedWork {
    private static final Logger log = LoggerFactory.getLogger(UnmatchedWork.class);

    /** Tasks of one kind that no site can run, and why (for instance "no site offers 8 cores per pilot"). */
    record Warning(TaskNeeds needs, int tasks, String reason) {
        /** One line for people: what waits and why. */
        String text() {
            return tasks + " queued task(s) needing " + needs.cores() + " core(s)"
                    + (needs.memoryMb() > 0 ? ", " + needs.memoryMb() + " MiB" : "")
                    + (needs.tags().isEmpty() ? "" : ", tags " + needs.tags().stream().sorted().toList())
                    + " wait: " + reason;
        }
    }

    private volatile List<Warning> warnings = List.of();
    private final Set<TaskNeeds> logged = new HashSet<>();

    /** Finds the queued work none of {@code sites} can run; logs what is new. Called by the round only. */
    void update(Map<TaskNeeds, Integer> queued, List<Site> sites) {
        var found = new ArrayList<Warning>();
        for (var entry : queued.entrySet()) {
            TaskNeeds needs = entry.getKey();
            if (entry.getValue() > 0 && sites.stream().noneMatch(site -> Demand.canRun(site, needs))) {
                found.add(new Warning(needs, entry.getValue(), reason(needs, sites)));
            }
        }
        found.sort(Comparator.comparing(Warning::text));
        for (Warning warning : found) {
            if (logged.add(warning.needs())) {
                log.warn("{}", warning.text());
            }
        }
        logged.retainAll(found.stream().map(Warning::needs).toList());
        warnings = List.copyOf(found);
    }

    List<Warning> warnings() {
        return warnings;
    }

    /** The first requirement no site meets: tags, then cores, then memory. */
    private static String reason(TaskNeeds needs, List<Site> sites) {
        var tagged = sites.stream().filter(site -> site.offers(needs.tags())).toList();
        if (tagged.isEmpty()) {
            return sites.isEmpty() ? "no site is enabled" : "no enabled site offers the tags " + needs.tags().stream().sorted().toList();
        }
        var cored = tagged.stream().filter(site -> site.limits().slotsPerPilot() >= needs.cores()).toList();
        if (cored.isEmpty()) {
            int most = tagged.stream().mapToInt(site -> site.limits().slotsPerPilot()).max().orElse(0);
            return "no site offers " + needs.cores() + " cores per pilot (at most " + most + ")";
        }
        long most = cored.stream().mapToLong(site -> site.limits().memoryMbPerPilot()).max().orElse(0);
        return "no site offers " + needs.memoryMb() + " MiB per pilot (at most " + most + ")";
    }
}
