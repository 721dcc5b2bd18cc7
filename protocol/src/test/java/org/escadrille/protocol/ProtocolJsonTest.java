package org.escadrille.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolJsonTest {

    @Test
    void assignmentSurvivesARoundTrip() {
        var assignment = new TaskAssignment("a1", "t1", "e1", "pi --events 10",
                List.of(new TaskAssignment.InputFile("in/data.txt", "/api/pilot/v1/attempts/a1/inputs/0", 3, "abc")),
                List.of(new TaskAssignment.OutputSpec("result", "out/*.json", false)),
                List.of(), Map.of("OMP_NUM_THREADS", "1"), null, 60,
                new TaskAssignment.ProgressSpec("^events: (\\d+)$", null, null));

        var back = ProtocolJson.read(ProtocolJson.write(assignment), TaskAssignment.class);

        assertThat(back).isEqualTo(assignment);
    }

    @Test
    void anAssignmentGrantedTheNetworkSaysSoAndAnOlderServersAssignmentHasNone() {
        var granted = new TaskAssignment("a1", "t1", "e1", "fetch", null, null, null, null, null, 0, null, true);

        assertThat(ProtocolJson.read(ProtocolJson.write(granted), TaskAssignment.class).network()).isTrue();
        var json = "{\"attemptId\":\"a1\",\"taskId\":\"t1\",\"commandLine\":\"true\",\"timeLimitSeconds\":0}";
        assertThat(ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), TaskAssignment.class).network()).isFalse();
    }

    @Test
    void anAssignmentCarriesItsTaskCoresAndMemoryAndAnOlderServersNeedsOneCore() {
        var wide = new TaskAssignment("a1", "t1", "e1", "mpirun", null, null, null, null, null, 0, null, false, 4, 8_192, 600);

        var back = ProtocolJson.read(ProtocolJson.write(wide), TaskAssignment.class);
        assertThat(back.cores()).isEqualTo(4);
        assertThat(back.memoryMb()).isEqualTo(8_192);
        assertThat(back.walltimeEstimateSeconds()).isEqualTo(600);
        var json = "{\"attemptId\":\"a1\",\"taskId\":\"t1\",\"commandLine\":\"true\",\"timeLimitSeconds\":0}";
        var older = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), TaskAssignment.class);
        assertThat(older.cores()).isEqualTo(1);
        assertThat(older.memoryMb()).isZero();
    }

    @Test
    void aRegistrationFromAnOlderPilotIsNotSandboxed() {
        var json = "{\"host\":\"h\",\"slots\":1,\"memoryMb\":1024,\"tags\":[],\"runningAttempts\":[]}";

        var registration = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), PilotRegistration.class);

        assertThat(registration.sandboxed()).isFalse();
        var sandboxed = new PilotRegistration("h", 1, 1024, List.of(), "v", "17", List.of(), true);
        assertThat(ProtocolJson.read(ProtocolJson.write(sandboxed), PilotRegistration.class).sandboxed()).isTrue();
    }

    @Test
    void aRegistrationNamesItsProcessorAndAnOlderPilotsNamesNone() {
        var json = "{\"host\":\"h\",\"slots\":1,\"memoryMb\":1024,\"sandboxed\":true}";
        var named = new PilotRegistration("h", 1, 1024, List.of(), "v", "17", List.of(), true,
                "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");

        assertThat(ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), PilotRegistration.class).cpuModel()).isNull();
        assertThat(ProtocolJson.read(ProtocolJson.write(named), PilotRegistration.class).cpuModel())
                .isEqualTo("Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");
    }

    @Test
    void aLeaseRequestFromAPilotThatDoesNotPrefetchAsksForNoPrefetch() {
        var json = "{\"freeSlots\":2,\"freeMemoryMb\":1024,\"waitMs\":1000,\"cachedInputs\":[]}";

        var request = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), LeaseRequest.class);

        assertThat(request.freeSlots()).isEqualTo(2);
        assertThat(request.prefetch()).isZero();
    }

    @Test
    void aHeartbeatFoldedIntoALeaseRequestAndItsReplyInTheGrantSurviveARoundTrip() {
        var status = new Heartbeat.AttemptStatus("a1", Heartbeat.Phase.UPLOADING, 12, 3, 10, 1.5, 2048L);
        var request = new LeaseRequest(1, 1024, 20_000, List.of(), 0, List.of(status));
        var grant = LeaseGrant.none().withSessionToken("s2")
                .withHeartbeat(new HeartbeatReply(List.of(new Order("a1", Order.Kind.STOP)), false, false, 250, Map.of("a1", 40L)));

        assertThat(ProtocolJson.read(ProtocolJson.write(request), LeaseRequest.class)).isEqualTo(request);
        assertThat(ProtocolJson.read(ProtocolJson.write(grant), LeaseGrant.class)).isEqualTo(grant);
        assertThat(request.withoutAttempts().attempts()).isEmpty();
        assertThat(request.withoutAttempts().waitMs()).isEqualTo(20_000);
    }

    @Test
    void anOlderPeerFoldsNoHeartbeatIntoItsLeaseAndAnOlderServerTakesNone() {
        var request = ProtocolJson.read("{\"freeSlots\":1,\"freeMemoryMb\":1,\"waitMs\":0}".getBytes(StandardCharsets.UTF_8),
                LeaseRequest.class);
        var grant = ProtocolJson.read("{\"tasks\":[],\"drain\":false}".getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
        var registered = ProtocolJson.read("{\"pilotId\":\"p1\",\"heartbeatIntervalMs\":1000,\"leaseMs\":4000,\"leaseRenewsSession\":true}"
                .getBytes(StandardCharsets.UTF_8), PilotRegistered.class);

        assertThat(request.attempts()).isEmpty();
        assertThat(grant.heartbeat()).isNull();
        assertThat(registered.leaseRenewsSession()).isTrue();
        assertThat(registered.leaseTakesStatuses()).isFalse();
    }

    @Test
    void aLeaseRequestAsksForAtLeastOneTask() {
        assertThat(new LeaseRequest(0, 0, 1000, List.of(), 2).prefetch()).isEqualTo(2);
        assertThatThrownBy(() -> new LeaseRequest(0, 0, 1000, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one task");
    }

    @Test
    void aBatchOfCompletionsSurvivesARoundTrip() {
        var completion = new Completion(Completion.Outcome.SUCCEEDED, 0, null, 1, 2, 0,
                new ResourceUsage(0.5, 1, 1, 1024, 0, 3));
        var batch = new CompletionBatch(List.of(new CompletionBatch.Item("a1", completion),
                new CompletionBatch.Item("a2", completion)));

        var back = ProtocolJson.read(ProtocolJson.write(batch), CompletionBatch.class);

        assertThat(back).isEqualTo(batch);
    }

    @Test
    void unknownFieldsFromANewerPeerAreIgnored() {
        var json = "{\"orders\":[{\"attemptId\":\"a1\",\"kind\":\"CANCEL\"}],\"drain\":false,\"unknownPilot\":false,\"later\":1}";

        var reply = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), HeartbeatReply.class);

        assertThat(reply.orders()).containsExactly(new Order("a1", Order.Kind.CANCEL));
    }

    @Test
    void fieldsAnOlderPeerDoesNotSendTakeTheirDefaults() {
        var json = "{\"orders\":[],\"drain\":false}";

        var reply = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), HeartbeatReply.class);

        assertThat(reply.nextHeartbeatMs()).isZero();
        assertThat(reply.unknownPilot()).isFalse();
        assertThat(reply.sessionToken()).as("no rotation: keep the token").isNull();
        assertThat(reply.stopAt()).isEmpty();
    }

    @Test
    void aRegistrationAnswerWithoutASessionTokenLeavesThePilotItsOwn() {
        var json = "{\"pilotId\":\"p1\",\"heartbeatIntervalMs\":1000,\"leaseMs\":4000,\"adoptedAttempts\":[]}";

        var registered = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), PilotRegistered.class);

        assertThat(registered.sessionToken()).isNull();
        assertThat(registered.pilotId()).isEqualTo("p1");
    }

    @Test
    void aSessionTokenSurvivesARoundTrip() {
        var reply = new HeartbeatReply(List.of(), false, false, 250).withSessionToken("fresh");

        var back = ProtocolJson.read(ProtocolJson.write(reply), HeartbeatReply.class);

        assertThat(back.sessionToken()).isEqualTo("fresh");
        assertThat(back.nextHeartbeatMs()).isEqualTo(250);
    }

    @Test
    void aPacedHeartbeatIntervalTravelsWithRepliesAndGrantsAndIsZeroFromOlderServers() {
        var reply = new HeartbeatReply(List.of(), false, false, 0).withHeartbeatInterval(40_000).withSessionToken("fresh");
        var grant = LeaseGrant.none().withHeartbeatInterval(40_000).withSessionToken("fresh");

        assertThat(ProtocolJson.read(ProtocolJson.write(reply), HeartbeatReply.class).heartbeatIntervalMs()).isEqualTo(40_000);
        assertThat(ProtocolJson.read(ProtocolJson.write(grant), LeaseGrant.class).heartbeatIntervalMs()).isEqualTo(40_000);
        assertThat(ProtocolJson.read("{\"orders\":[],\"drain\":false,\"unknownPilot\":false,\"nextHeartbeatMs\":0}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), HeartbeatReply.class).heartbeatIntervalMs()).isZero();
        assertThat(ProtocolJson.read("{\"tasks\":[],\"drain\":false,\"retryAfterMs\":0}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), LeaseGrant.class).heartbeatIntervalMs()).isZero();
        assertThatThrownBy(() -> LeaseGrant.none().withHeartbeatInterval(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stopTargetsTravelWithTheReply() {
        var reply = new HeartbeatReply(List.of(), false, false, 250, Map.of("a1", 1_000_000L));

        var back = ProtocolJson.read(ProtocolJson.write(reply), HeartbeatReply.class);

        assertThat(back.stopAt()).containsEntry("a1", 1_000_000L);
    }

    @Test
    void pathsThatLeaveTheWorkingDirectoryAreRefused() {
        assertThatThrownBy(() -> new TaskAssignment.OutputSpec("o", "../etc/passwd", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not leave");
        assertThatThrownBy(() -> new TaskAssignment.OutputSpec("o", "/etc/passwd", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative");
        assertThat(RelativePaths.requireConfined("./test_temp/log.txt")).isEqualTo("./test_temp/log.txt");
    }

    @Test
    void aHeartbeatRelaysWhatARunningAttemptUses() {
        var heartbeat = new Heartbeat(List.of(new Heartbeat.AttemptStatus("a1", Heartbeat.Phase.RUNNING, -1, 5, 0,
                2.5, 40_960L)), 1);

        var back = ProtocolJson.read(ProtocolJson.write(heartbeat), Heartbeat.class);

        assertThat(back).isEqualTo(heartbeat);
        assertThat(back.attempts().get(0).cpuSeconds()).isEqualTo(2.5);
        assertThat(back.attempts().get(0).rssKb()).isEqualTo(40_960L);
    }

    @Test
    void aHeartbeatFromAPilotThatDoesNotRelayUsageSaysNothingRatherThanZero() {
        var json = "{\"attempts\":[{\"attemptId\":\"a1\",\"phase\":\"RUNNING\",\"events\":-1,\"startedAtMs\":5}],"
                + "\"freeSlots\":0}";

        var status = ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), Heartbeat.class).attempts().get(0);

        assertThat(status.cpuSeconds()).isNull();
        assertThat(status.rssKb()).isNull();
        assertThat(status.checkpoint()).isZero();
    }
}
