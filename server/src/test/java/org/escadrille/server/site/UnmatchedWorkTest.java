package org.escadrille.server.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.scheduling.TaskNeeds;
import org.junit.jupiter.api.Test;

/** Queued work that no enabled site can run is named, with the first requirement none meets. */
class UnmatchedWorkTest {
    private final UnmatchedWork unmatched = new UnmatchedWork();

    @Test
    void namesTheTagsTheCoresOrTheMemoryNoSiteOffers() {
        var sites = List.of(site("small", 4, 8_192L, List.of()), site("gpus", 2, 4_096L, List.of("gpu")));

        unmatched.update(Map.of(
                TaskNeeds.plain(), 10,
                new TaskNeeds(Set.of(), 4, 4_096), 1,
                new TaskNeeds(Set.of("gpu"), 2, 0), 1,
                new TaskNeeds(Set.of("fpga"), 1, 0), 2,
                new TaskNeeds(Set.of(), 8, 0), 3,
                new TaskNeeds(Set.of(), 2, 16_384), 5), sites);

        assertThat(unmatched.warnings()).extracting(UnmatchedWork.Warning::text).containsExactlyInAnyOrder(
                "2 queued task(s) needing 1 core(s), tags [fpga] wait: no enabled site offers the tags [fpga]",
                "3 queued task(s) needing 8 core(s) wait: no site offers 8 cores per pilot (at most 4)",
                "5 queued task(s) needing 2 core(s), 16384 MiB wait: no site offers 16384 MiB per pilot (at most 8192)");
    }

    @Test
    void aWarningGoesWhenASiteThatCanRunTheWorkIsThere() {
        var needs = new TaskNeeds(Set.of(), 8, 0);
        unmatched.update(Map.of(needs, 1), List.of(site("small", 4, null, List.of())));
        assertThat(unmatched.warnings()).hasSize(1);

        unmatched.update(Map.of(needs, 1), List.of(site("small", 4, null, List.of()), site("big", 16, null, List.of())));

        assertThat(unmatched.warnings()).isEmpty();
    }

    private static Site site(String name, int slotsPerPilot, Long memoryMbPerPilot, List<String> tags) {
        return new Site(name, "slurm", true, Map.of(), new Site.Limits(2, 10, 64, slotsPerPilot, memoryMbPerPilot), tags,
                Instant.EPOCH, "admin", null);
    }
}
