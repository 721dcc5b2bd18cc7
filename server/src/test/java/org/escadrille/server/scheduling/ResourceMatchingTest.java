package org.escadrille.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Through the whole scheduler: a task is leased only to a pilot whose free slots hold its cores and
 * whose free memory holds its memory, and occupies that many slots of the lease; only plain tasks are
 * queued behind busy slots; the pilot factory reads the queue by what its tasks need.
 */
class ResourceMatchingTest {
    @TempDir
    Path dir;

    @Test
    void aTaskNeedingFourCoresGoesOnlyToAPilotWithFourFreeSlots() {
        var rig = new SchedulerRig(dir);
        var big = rig.submit(Tasks.definition().needs(4, 0).build()).getFirst();
        String pilot = rig.pilot();

        assertThat(rig.lease(pilot, 3)).as("three free slots").isEmpty();
        assertThat(rig.lease(pilot, 4)).extracting(TaskAssignment::taskId).containsExactly(big.id());
    }

    @Test
    void aTaskOccupiesAsManySlotsOfTheLeaseAsItNeedsCores() {
        var rig = new SchedulerRig(dir);
        var big = rig.submit(Tasks.definition().needs(4, 0).build()).getFirst();
        var plain = rig.submit(Tasks.definition().build(), Tasks.definition().build(), Tasks.definition().build());

        var granted = rig.lease(rig.pilot(), 6);

        assertThat(granted).extracting(TaskAssignment::taskId)
                .containsExactly(big.id(), plain.get(0).id(), plain.get(1).id());
        assertThat(granted.getFirst().cores()).isEqualTo(4);
        assertThat(granted.get(1).cores()).isEqualTo(1);
    }

    @Test
    void aTaskNeedingMemoryGoesOnlyToAPilotWithThatMuchFree() {
        var rig = new SchedulerRig(dir);
        var hungry = rig.submit(Tasks.definition().needs(1, 8_192).build()).getFirst();
        var plain = rig.submit(Tasks.definition().build()).getFirst();
        String pilot = rig.pilot();

        assertThat(rig.lease(pilot, new LeaseRequest(4, 4_096, 0, List.of()))).as("4 GiB free: the plain task only")
                .extracting(TaskAssignment::taskId).containsExactly(plain.id());
        var granted = rig.lease(pilot, new LeaseRequest(4, 8_192, 0, List.of()));
        assertThat(granted).extracting(TaskAssignment::taskId).containsExactly(hungry.id());
        assertThat(granted.getFirst().memoryMb()).isEqualTo(8_192);
    }

    @Test
    void theMemoryOfOneLeaseIsSharedByItsTasks() {
        var rig = new SchedulerRig(dir);
        rig.submit(Tasks.definition().needs(1, 3_000).build(), Tasks.definition().needs(1, 3_000).build(),
                Tasks.definition().needs(1, 3_000).build());

        assertThat(rig.lease(rig.pilot(), new LeaseRequest(8, 7_000, 0, List.of()))).as("two fit in 7000 MiB").hasSize(2);
    }

    @Test
    void onlyPlainTasksAreQueuedBehindBusySlots() {
        var rig = new SchedulerRig(dir);
        rig.submit(Tasks.definition().needs(2, 0).build(), Tasks.definition().needs(1, 512).build());
        var plain = rig.submit(Tasks.definition().build()).getFirst();

        var queuedBehind = rig.lease(rig.pilot(), new LeaseRequest(0, 4_096, 0, List.of(), 8));

        assertThat(queuedBehind).extracting(TaskAssignment::taskId).containsExactly(plain.id());
    }

    @Test
    void theQueueIsCountedByTagsCoresAndMemory() {
        var rig = new SchedulerRig(dir);
        rig.submit(Tasks.definition().build(), Tasks.definition().owner(Tasks.BOB).build(),
                Tasks.definition().needs(4, 0).build(), Tasks.definition().needs(2, 1_024).pilotTags("gpu").build());

        assertThat(rig.scheduler.queuedByNeeds()).isEqualTo(Map.of(
                TaskNeeds.plain(), 2,
                new TaskNeeds(Set.of(), 4, 0), 1,
                new TaskNeeds(Set.of("gpu"), 2, 1_024), 1));

        rig.lease(rig.pilot(), 6);
        assertThat(rig.scheduler.queuedByNeeds()).isEqualTo(Map.of(new TaskNeeds(Set.of("gpu"), 2, 1_024), 1));
    }

    @Test
    void theResourcesArePersistedWithTheTaskAndAnOlderSpecReadsAsOneCore() {
        var rig = new SchedulerRig(dir);
        var task = rig.submit(Tasks.definition().needs(4, 2_048).build()).getFirst();
        var json = JsonMapper.builder().build();

        String stored = rig.jdbc.sql("SELECT spec FROM tasks WHERE id = ?").param(task.id()).query(String.class).single();

        assertThat(json.readValue(stored, TaskSpec.class).resources()).isEqualTo(new TaskSpec.Resources(4, 2_048, 0));
        var withoutResources = (ObjectNode) json.readTree(stored);
        withoutResources.remove("resources");
        String older = json.writeValueAsString(withoutResources);
        assertThat(json.readValue(older, TaskSpec.class).resources()).isEqualTo(TaskSpec.Resources.DEFAULT);
    }
}
