package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.ResourceUsage;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a stolen pilot token is worth (security finding: a stolen token re-registered its pilot as
 * another host with a {@code gpu} tag, leased a user's task and uploaded a forged result), and the
 * limits on what a pilot sends. Pilots are driven by hand over HTTP ({@link HandPilot}); no local pilot.
 */
@Tag("e2e")
class PilotCredentialsTest {
    private static TestServer server;
    private static Researcher alice;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false)
                // Long enough that no lease expires while a test drives its pilot by hand.
                .property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "1s")
                .property("escadrille.pilots.max-log-bytes", "4KB")
                .property("escadrille.pilots.max-file-bytes", "1KB")
                .start();
        alice = Researcher.of(server, "alice");
        publish("plain", null);
        publish("needs-gpu", "[\"gpu\"]");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRegistrationTokenReplayedAfterTheRegistrationIsRefused() {
        var pilot = HandPilot.minted(server);
        assertThat(pilot.register(pilot.registrationToken, "node-1", List.of()).status()).isEqualTo(200);

        var replay = pilot.register(pilot.registrationToken, "thief", List.of("gpu"));
        var lease = pilot.post(PilotProtocol.LEASE, pilot.registrationToken, new LeaseRequest(1, 1024, 0, List.of()));

        assertThat(replay.status()).as(replay.body()).isEqualTo(401);
        assertThat(replay.body()).contains("used already", "one registration");
        assertThat(lease.status()).as(lease.body()).isEqualTo(401);
        assertThat(lease.body()).contains("session token");
        assertThat(hostAndTags(pilot.pilotId)).isEqualTo("node-1|");
    }

    @Test
    void aRegistrationSentAgainBeforeAnyCallIsAnsweredAgainThenTheTokenIsSpent() {
        var pilot = HandPilot.minted(server);
        assertThat(pilot.register(pilot.registrationToken, "node-3", List.of()).status()).isEqualTo(200);
        String lost = pilot.sessionToken;

        // Its answer lost to a time-out, the pilot sends the same registration again.
        var again = pilot.register(pilot.registrationToken, "node-3", List.of());

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(pilot.sessionToken).isNotEqualTo(lost);
        var heartbeat = pilot.post(PilotProtocol.HEARTBEAT, new Heartbeat(List.of(), 0));
        assertThat(heartbeat.status()).as(heartbeat.body()).isEqualTo(200);
        var afterACall = pilot.register(pilot.registrationToken, "node-3", List.of());
        assertThat(afterACall.status()).as("once the pilot has called with its session").isEqualTo(401);
        assertThat(hostAndTags(pilot.pilotId)).isEqualTo("node-3|");
    }

    @Test
    void aSessionTokenCannotReRegisterAsAnotherHostWithAGpuTagNorLeaseAGpuTask() {
        var pilot = HandPilot.registered(server, "node-2", List.of());

        var again = pilot.register(pilot.sessionToken, "gpu-box", List.of("gpu"));
        String gpuExecution = alice.launch(Map.of("app", "needs-gpu"));
        var lease = pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 1_000, List.of()));

        assertThat(again.status()).as(again.body()).isEqualTo(401);
        assertThat(again.body()).contains("host and tags are fixed at its registration");
        assertThat(lease.status()).as(lease.body()).isEqualTo(200);
        assertThat(grant(lease).tasks()).extracting(TaskAssignment::executionId).doesNotContain(gpuExecution);
        assertThat(hostAndTags(pilot.pilotId)).isEqualTo("node-2|");
        assertThat(alice.tasks(gpuExecution).get(0).path("attempts")).as("attempts of the gpu task").isEmpty();
    }

    @Test
    void anUploadOrCompletionForAnAttemptOfAnotherPilotIsNotFound() {
        var owner = HandPilot.registered(server, "node-3", List.of());
        String execution = alice.launch(Map.of("app", "plain"));
        String attempt = leaseOne(owner, execution);
        var thief = HandPilot.registered(server, "thief", List.of());
        var forged = new Completion(Completion.Outcome.SUCCEEDED, 0, null, 1, 2, -1, ResourceUsage.NONE);

        var upload = thief.send(PilotProtocol.outputPath(attempt) + "?path=out.txt", thief.sessionToken, "PUT",
                "application/octet-stream", "forged".getBytes(StandardCharsets.UTF_8));
        var completion = thief.post(PilotProtocol.completionPath(attempt), forged);
        var batch = thief.post(PilotProtocol.COMPLETIONS, new CompletionBatch(List.of(new CompletionBatch.Item(attempt, forged))));
        var log = thief.send(PilotProtocol.logPath(attempt) + "?stream=stdout&offset=0", thief.sessionToken, "POST",
                "application/octet-stream", "forged".getBytes(StandardCharsets.UTF_8));

        assertThat(List.of(upload, completion, batch, log)).allSatisfy(response -> {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.body()).contains("not leased to this pilot");
        });
        assertThat(alice.tasks(execution).get(0).path("status").asString()).isIn("LEASED", "RUNNING");
        var own = owner.post(PilotProtocol.completionPath(attempt), forged);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("\"accepted\":true");
    }

    @Test
    void aLogWriteAtTenGigabytesIsRefusedAndMakesNoFile() {
        var pilot = HandPilot.registered(server, "node-4", List.of());
        String attempt = leaseOne(pilot, alice.launch(Map.of("app", "plain")));
        Path stdout = server.dataDir().resolve("logs").resolve(attempt).resolve("stdout");

        var far = writeLog(pilot, attempt, 10_000_000_000L, "x".getBytes(StandardCharsets.UTF_8));
        var negative = writeLog(pilot, attempt, -1, "x".getBytes(StandardCharsets.UTF_8));

        assertThat(far.status()).as(far.body()).isEqualTo(413);
        assertThat(far.body()).contains("4096 bytes", "escadrille.pilots.max-log-bytes");
        assertThat(negative.status()).as(negative.body()).isEqualTo(400);
        assertThat(stdout).doesNotExist();
        assertThat(writeLog(pilot, attempt, 0, "hello\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(204);
        assertThat(stdout).hasContent("hello");
    }

    @Test
    void aLogOrUploadBodyBeyondItsCapIsRefusedEvenWithoutAContentLength() throws Exception {
        var pilot = HandPilot.registered(server, "node-5", List.of());
        String attempt = leaseOne(pilot, alice.launch(Map.of("app", "plain")));
        Path stderr = server.dataDir().resolve("logs").resolve(attempt).resolve("stderr");

        var declared = writeLog(pilot, attempt, 0, new byte[5_000]);
        var chunkedLog = chunked(pilot, PilotProtocol.logPath(attempt) + "?stream=stderr&offset=0", "POST", 5_000);
        var upload = pilot.send(PilotProtocol.outputPath(attempt) + "?path=out.txt", pilot.sessionToken, "PUT",
                "application/octet-stream", new byte[2_000]);
        var chunkedUpload = chunked(pilot, PilotProtocol.outputPath(attempt) + "?path=out.txt", "PUT", 2_000);

        assertThat(declared.status()).as(declared.body()).isEqualTo(413);
        assertThat(chunkedLog.statusCode()).as(chunkedLog.body()).isEqualTo(413);
        assertThat(Files.size(stderr)).as("written up to the cap at most").isLessThanOrEqualTo(4096);
        assertThat(upload.status()).as(upload.body()).isEqualTo(413);
        assertThat(upload.body()).contains("escadrille.pilots.max-file-bytes");
        assertThat(chunkedUpload.statusCode()).as(chunkedUpload.body()).isEqualTo(413);
    }

    private static String leaseOne(HandPilot pilot, String execution) {
        LeaseGrant grant = await().atMost(Duration.ofSeconds(20)).until(
                () -> grant(pilot.post(PilotProtocol.LEASE, new LeaseRequest(1, 1024, 1_000, List.of()))),
                g -> !g.tasks().isEmpty());
        assertThat(grant.tasks().get(0).executionId()).isEqualTo(execution);
        return grant.tasks().get(0).attemptId();
    }

    private static LeaseGrant grant(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), LeaseGrant.class);
    }

    private static ApiClient.Response writeLog(HandPilot pilot, String attempt, long offset, byte[] bytes) {
        return pilot.send(PilotProtocol.logPath(attempt) + "?stream=stdout&offset=" + offset, pilot.sessionToken, "POST",
                "application/octet-stream", bytes);
    }

    /** A body sent in chunks, without a Content-Length. */
    private static HttpResponse<String> chunked(HandPilot pilot, String path, String method, int size) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header(PilotProtocol.AUTHORIZATION, "Bearer " + pilot.sessionToken)
                .header("Content-Type", "application/octet-stream")
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[size])))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String hostAndTags(String pilotId) {
        return server.bean(JdbcClient.class).sql("SELECT host || '|' || COALESCE(tags, '') FROM pilots WHERE id = ?")
                .param(pilotId).query(String.class).single();
    }

    private static void publish(String name, String tags) {
        var published = server.admin().post("/api/v1/apps", """
                {"name": "%s", "tool-version": "1", "schema-version": "0.5", "description": "d",
                 "command-line": "echo done [X] > out.txt",
                 "inputs": [{"id": "x", "name": "X", "type": "String", "value-key": "[X]", "optional": true}],
                 "output-files": [{"id": "out", "name": "out", "path-template": "out.txt"}]%s}"""
                .formatted(name, tags == null ? "" : ", \"custom\": {\"escadrille:pilot-tags\": " + tags + "}"));
        assertThat(published.status()).as(published.body()).isIn(200, 201);
    }
}
