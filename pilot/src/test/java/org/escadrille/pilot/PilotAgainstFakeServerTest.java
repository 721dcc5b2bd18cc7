package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.escadrille.protocol.Completion.Outcome;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.Sha256;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.protocol.TaskAssignment.InputFile;
import org.escadrille.protocol.TaskAssignment.OutputSpec;
import org.escadrille.protocol.TaskAssignment.ProgressSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole pilot, in this JVM, against {@link FakePilotServer}: a fake at the HTTP boundary, because the
 * real server lives in the {@code server} module, built after this one, whose end-to-end tests run
 * real pilot processes against it. The tasks are real processes, and the whole takes seconds: tagged
 * with the end-to-end tests, so that the unit tests alone stay quick.
 */
@Tag("e2e")
class PilotAgainstFakeServerTest {

    @TempDir
    Path workDir;

    private FakePilotServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakePilotServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aLeasedTaskIsStagedRunStreamedUploadedAndCompleted() throws Exception {
        byte[] input = "42 photons\n".getBytes(StandardCharsets.UTF_8);
        server.files.put("data.txt", input);
        server.tasksToLease.add(task("a1",
                "mkdir -p out/run; cat in/data.txt > \"out/run/my result.txt\"; echo to-stdout; echo to-stderr >&2; sleep 1",
                List.of(new InputFile("in/data.txt", "/files/data.txt", input.length, Sha256.of(input))),
                List.of(new OutputSpec("result", "out/*/*.txt", false)), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var completion = server.completions.get("a1");
        assertThat(completion.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.usage().bytesIn()).isEqualTo(input.length);
        assertThat(completion.usage().bytesOut()).isEqualTo(input.length);
        assertThat(completion.usage().wallSeconds()).isGreaterThanOrEqualTo(1.0);
        assertThat(completion.endedAtMs()).isGreaterThan(completion.startedAtMs());
        assertThat(server.outputs).containsOnlyKeys("a1/out/run/my result.txt");
        assertThat(server.outputs.get("a1/out/run/my result.txt")).isEqualTo(input);
        assertThat(server.log("a1", "stdout")).isEqualTo("to-stdout\n");
        assertThat(server.log("a1", "stderr")).isEqualTo("to-stderr\n");
        assertThat(server.heartbeats).flatExtracting(Heartbeat::attempts)
                .anySatisfy(status -> assertThat(status.phase()).isEqualTo(Heartbeat.Phase.RUNNING));
        assertThat(server.authorizationByPath).containsEntry(PilotProtocol.REGISTER, "Bearer secret-token");
        assertThat(server.authorizations).as("the registration token is spent by the registration")
                .filteredOn("Bearer secret-token"::equals).hasSize(1);
        assertThat(server.refusedAuthorizations).isEmpty();
        assertThat(server.byes).hasValue(1);
        assertThat(workDir.resolve("a1")).doesNotExist();
    }

    @Test
    void aStopTargetInAHeartbeatReplyEndsTheTaskThereWithoutAnOrder() throws Exception {
        server.tasksToLease.add(task("a1",
                "trap 'echo partial > result.txt; exit 0' TERM; n=0; "
                        + "while :; do n=$((n+1)); echo \"events: $n\"; sleep 0.02; done",
                List.of(), List.of(new OutputSpec("result", "result.txt", false)),
                new ProgressSpec("^events: (\\d+)$", null, null)));
        server.stopAt = heartbeat -> heartbeat.attempts().stream()
                .collect(Collectors.toMap(Heartbeat.AttemptStatus::attemptId, status -> 30L));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var completion = server.completions.get("a1");
        assertThat(completion.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(completion.events()).isBetween(30L, 200L);
        assertThat(server.outputs.get("a1/result.txt")).asString(StandardCharsets.UTF_8).isEqualTo("partial\n");
    }

    @Test
    void aStopOrderEndsAMonteCarloTaskWithItsPartialOutputAndEvents() throws Exception {
        server.tasksToLease.add(task("a1",
                "trap 'echo partial > result.txt; exit 0' TERM; echo 'events: 42'; while :; do sleep 0.1; done",
                List.of(), List.of(new OutputSpec("result", "result.txt", false)),
                new ProgressSpec("^events: (\\d+)$", null, null)));
        server.orders = heartbeat -> heartbeat.attempts().stream()
                .filter(status -> status.events() == 42)
                .map(status -> new Order(status.attemptId(), Order.Kind.STOP)).toList();
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var completion = server.completions.get("a1");
        assertThat(completion.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(completion.events()).isEqualTo(42);
        assertThat(server.outputs.get("a1/result.txt")).asString(StandardCharsets.UTF_8).isEqualTo("partial\n");
    }

    @Test
    void aMonteCarloTasksNewestCheckpointIsUploadedBeforeAHeartbeatReportsIt() throws Exception {
        // Two checkpoints, each written aside and renamed into place, as the contract asks; then a wait for STOP.
        server.tasksToLease.add(task("a1", """
                        mkdir -p cp/.w; echo ten > cp/.w/result.txt; mv cp/.w cp/10; echo 'events: 10'
                        sleep 1; mkdir -p cp/.w; echo twenty > cp/.w/result.txt; mv cp/.w cp/20; rm -r cp/10; echo 'events: 20'
                        trap 'echo partial > result.txt; exit 0' TERM; while :; do sleep 0.1; done""",
                List.of(), List.of(new OutputSpec("result", "result.txt", false)),
                new ProgressSpec("^events: (\\d+)$", null, null, "cp")));
        server.orders = heartbeat -> heartbeat.attempts().stream()
                .filter(status -> status.checkpoint() == 20)
                .map(status -> new Order(status.attemptId(), Order.Kind.STOP)).toList();
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(15)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.checkpoints.get("a1/20/result.txt")).asString(StandardCharsets.UTF_8).isEqualTo("twenty\n");
        assertThat(server.checkpoints.keySet()).allMatch(key -> key.matches("a1/(10|20)/result.txt"));
        // Reported only once the server had its files.
        assertThat(server.heartbeats).flatExtracting(Heartbeat::attempts).extracting(Heartbeat.AttemptStatus::checkpoint)
                .contains(20L).allMatch(events -> events == 0 || events == 10 || events == 20);
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.STOPPED);
    }

    @Test
    void checkpointsGoStraightToTheStorageToo() throws Exception {
        server.directUploads = true;
        server.tasksToLease.add(task("a1", """
                        mkdir -p cp/.w; echo ten > cp/.w/result.txt; mv cp/.w cp/10; echo 'events: 10'
                        trap 'echo partial > result.txt; exit 0' TERM; while :; do sleep 0.1; done""",
                List.of(), List.of(new OutputSpec("result", "result.txt", false)),
                new ProgressSpec("^events: (\\d+)$", null, null, "cp")));
        server.orders = heartbeat -> heartbeat.attempts().stream()
                .filter(status -> status.checkpoint() == 10)
                .map(status -> new Order(status.attemptId(), Order.Kind.STOP)).toList();
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(15)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.checkpoints).as("nothing went through the server").isEmpty();
        assertThat(server.bucket.get("a1/checkpoints/10/result.txt")).asString(StandardCharsets.UTF_8).isEqualTo("ten\n");
        assertThat(server.bucketHeaders.get("a1/checkpoints/10/result.txt")).doesNotContainKey("authorization");
        assertThat(server.bucket.get("a1/result.txt")).asString(StandardCharsets.UTF_8).isEqualTo("partial\n");
    }

    /**
     * @param byLease the cancel comes only in replies to the statuses lease requests carry, the server taking them
     *                ({@code leaseTakesStatuses}); else in heartbeat replies
     */
    @ParameterizedTest(name = "the cancel in the reply to a lease request: {0}")
    @ValueSource(booleans = {false, true})
    void aCancelOrderKillsTheTaskAndUploadsNothing(boolean byLease) throws Exception {
        server.tasksToLease.add(task("a1", "echo started; sleep 60", List.of(),
                List.of(new OutputSpec("result", "result.txt", true)), null));
        Function<Heartbeat, List<Order>> cancelRunning = heartbeat -> heartbeat.attempts().stream()
                .filter(status -> status.phase() == Heartbeat.Phase.RUNNING)
                .map(status -> new Order(status.attemptId(), Order.Kind.CANCEL)).toList();
        if (byLease) {
            server.leaseRenewsSession = true;
            server.leaseTakesStatuses = true;
            server.leaseOrders = cancelRunning;
        } else {
            server.orders = cancelRunning;
        }
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(server.outputs).isEmpty();
    }

    @Test
    void aBusyPilotWhoseLeaseRequestsCarryItsAttemptsStatusesSkipsItsHeartbeats() throws Exception {
        server.leaseRenewsSession = true;
        server.leaseTakesStatuses = true;
        server.tasksToLease.add(task("a1", "sleep 3", List.of(), List.of(), null));
        var pilot = start(options(0));

        // One slot runs the task for 3 s while the other leases, answered every 100 ms; heartbeats are due every 200 ms.
        await().atMost(Duration.ofSeconds(20)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var carried = server.leaseRequests.stream().filter(request -> !request.attempts().isEmpty()).toList();
        assertThat(carried).as("lease requests that carried the attempt's status").hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(request -> assertThat(request.attempts()).extracting(Heartbeat.AttemptStatus::attemptId)
                        .containsExactly("a1"));
        assertThat(carried).flatExtracting(LeaseRequest::attempts)
                .anySatisfy(status -> assertThat(status.phase()).isEqualTo(Heartbeat.Phase.RUNNING));
        // The heartbeat the start asks for, and perhaps one before the first lease request carried the status.
        assertThat(server.heartbeats).as("heartbeats in 3 s, where ten were due").hasSizeLessThanOrEqualTo(3);
        assertThat(server.refusedAuthorizations).isEmpty();
    }

    @Test
    void aBusyPilotHeartbeatsAtTheIntervalAHeartbeatReplyTells() throws Exception {
        server.heartbeatRepliesPace = 1_000;
        assertHeartbeatsPacedAtOneSecond();
    }

    @Test
    void aBusyPilotHeartbeatsAtTheIntervalALeaseGrantTells() throws Exception {
        server.leaseGrantsPace = 1_000;
        assertHeartbeatsPacedAtOneSecond();
    }

    /** A task of 4 s, heartbeats due every 200 ms by the registration, and a server that paces them at 1 s. */
    private void assertHeartbeatsPacedAtOneSecond() throws Exception {
        server.leaseRenewsSession = true;
        server.tasksToLease.add(task("a1", "sleep 4", List.of(), List.of(), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        // Twenty were due at 200 ms; at 1 s, four, and perhaps the one the start asks for.
        assertThat(server.heartbeats).as("heartbeats in 4 s").hasSizeBetween(2, 6);
        var nanos = server.heartbeatNanos;
        for (int i = 2; i < nanos.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(nanos.get(i) - nanos.get(i - 1)))
                    .as("the gap before heartbeat %d", i).isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    void aPilotSendsNoStatusesInItsLeaseRequestsToAServerThatDoesNotTakeThem() throws Exception {
        server.leaseRenewsSession = true;
        server.tasksToLease.add(task("a1", "sleep 3", List.of(), List.of(), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.leaseRequests).allSatisfy(request -> assertThat(request.attempts()).isEmpty());
        // Due every 200 ms from the first, which comes up to a second after the start (nudges are a second apart).
        assertThat(server.heartbeats).as("every interval while it runs something").hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void aTaskThatNeedsAContainerFailsClearlyWhereNoRuntimeIsInstalled() throws Exception {
        server.tasksToLease.add(new TaskAssignment("a1", "t1", "e1", "true", List.of(), List.of(), List.of(), Map.of(),
                "alpine:3", 0, null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(server.completions.get("a1").message())
                .startsWith("the task needs container image alpine:3 but no container runtime (docker, podman, apptainer)"
                        + " is installed on ");
    }

    @Test
    void anImageThatHoldsOptionsFailsTheTaskAndNeverReachesTheRuntime(@TempDir Path bin) throws Exception {
        Path called = bin.resolve("runtime-called");
        Path podman = bin.resolve("podman");
        Files.writeString(podman, "#!/bin/sh\necho \"$@\" > " + called + "\n");
        podman.toFile().setExecutable(true);
        server.tasksToLease.add(new TaskAssignment("a1", "t1", "e1", "true", List.of(), List.of(), List.of(), Map.of(),
                "--privileged -v /:/host alpine", 0, null));
        var pilot = CompletableFuture.supplyAsync(() -> {
            try {
                return PilotMain.assemble(options(0), "secret-token", Duration.ofSeconds(1), Duration.ofMillis(50),
                        Optional.of(new OciRuntime("podman", podman.toString()))).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(server.completions.get("a1").message()).startsWith("container image refused: it must be a container "
                + "image reference");
        assertThat(called).doesNotExist();
    }

    @Test
    void aPilotTheServerForgotCannotRegisterAgainAndStopsItsAttempts() throws Exception {
        server.tasksToLease.add(task("a1", "echo $$ > task.pid; sleep 60", List.of(), List.of(), null));
        var pilot = start(options(0));
        Path pidFile = workDir.resolve("a1/task.pid");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        long pid = Long.parseLong(Files.readString(pidFile).strip());

        server.forgetPilotOnce = true;

        assertThat(pilot.get(20, TimeUnit.SECONDS)).as("a registration token is good once").isEqualTo(3);
        assertThat(server.registrations).hasSize(1);
        assertThat(ProcessHandle.of(pid).map(ProcessTreeSampler::isRunning).orElse(false)).isFalse();
        assertThat(server.completions).isEmpty();
    }

    @Test
    void aPilotKeepsWorkingAcrossManyRotationsOfItsSessionToken() throws Exception {
        // Heartbeats every 200 ms, each bringing a fresh token; a replaced one works for 2 s only.
        server.tasksToLease.add(task("a1", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; sleep 0.25; done",
                List.of(), List.of(), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.sessionTokens).as("rotations while the task ran").hasSizeGreaterThan(5);
        assertThat(server.refusedAuthorizations).isEmpty();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(server.log("a1", "stdout")).contains("line 1\n", "line 12\n");
        assertThat(server.authorizationByPath.get(PilotProtocol.COMPLETIONS)).isNotEqualTo("Bearer session-1");
    }

    @Test
    void aRefusedSessionTokenStopsThePilotWithExitCode3WithoutBye() throws Exception {
        server.refuseSessions = true;

        assertThat(start(options(0)).get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(server.registrations).hasSize(1);
        assertThat(server.byes).hasValue(0);
    }

    @Test
    void anInputRedirectedToAnotherHostIsFetchedWithoutTheToken() throws Exception {
        byte[] input = "bytes from the bucket".getBytes(StandardCharsets.UTF_8);
        server.files.put("data.txt", input);
        // "localhost" is another origin than the pilot's "127.0.0.1", as a presigned S3 URL would be.
        server.redirects.put("/files/moved", "http://localhost:" + server.uri().getPort() + "/files/data.txt");
        server.tasksToLease.add(task("a1", "cat data.txt", List.of(new InputFile("data.txt", "/files/moved", 0, null)),
                List.of(), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(server.log("a1", "stdout")).isEqualTo("bytes from the bucket");
        assertThat(server.authorizationByPath.get("/files/moved")).startsWith("Bearer session-");
        assertThat(server.authorizationByPath).containsEntry("/files/data.txt", "null");
    }

    @Test
    void outputsGoStraightToTheStorageWithTheirChecksumAndWithoutTheToken() throws Exception {
        server.directUploads = true;
        server.tasksToLease.add(task("a1", "mkdir -p out; printf 'straight to the bucket' > 'out/my result.txt'",
                List.of(), List.of(new OutputSpec("result", "out/*.txt", false)), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        byte[] expected = "straight to the bucket".getBytes(StandardCharsets.UTF_8);
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(server.outputs).as("nothing went through the server").isEmpty();
        assertThat(server.directUploadRequests).singleElement().satisfies(upload -> {
            assertThat(upload.path()).isEqualTo("out/my result.txt");
            assertThat(upload.size()).isEqualTo(expected.length);
            assertThat(upload.sha256()).isEqualTo(Sha256.of(expected));
        });
        assertThat(server.bucket.get("a1/out/my result.txt")).isEqualTo(expected);
        assertThat(server.bucketHeaders.get("a1/out/my result.txt"))
                .containsEntry("x-amz-meta-sha256", Sha256.of(expected))
                .doesNotContainKey("authorization");
        assertThat(server.completions.get("a1").usage().bytesOut()).isEqualTo(expected.length);
    }

    @Test
    void anInputThatDoesNotMatchItsChecksumFailsTheAttemptWithoutRunningIt() throws Exception {
        server.files.put("data.txt", "tampered".getBytes(StandardCharsets.UTF_8));
        server.tasksToLease.add(task("a1", "touch ran", List.of(new InputFile("data.txt", "/files/data.txt", 8,
                Sha256.of("original".getBytes(StandardCharsets.UTF_8)))), List.of(), null));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("a1"));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(server.completions.get("a1").message()).startsWith("input data.txt: SHA-256 mismatch (expected ");
        assertThat(server.log("a1", "stdout")).isEmpty();
    }

    @Test
    void anIdlePilotSaysByeAndExits() throws Exception {
        assertThat(start(options(0, 1)).get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.byes).hasValue(1);
    }

    @Test
    void aPilotToldToComeBackLaterWaitsThatLongBeforeItsNextLeaseRequest() throws Exception {
        server.retryAfterMs = 700;
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.leaseRequestNanos.size() >= 3);
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var times = List.copyOf(server.leaseRequestNanos);
        for (int i = 1; i < 3; i++) {
            assertThat(Duration.ofNanos(times.get(i) - times.get(i - 1))).as("between lease requests %d and %d", i, i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(700));
        }
    }

    @Test
    void anIdlePilotWhoseLeaseRequestsAreAnsweredHeartbeatsEveryOtherInterval() throws Exception {
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(20)).until(() -> server.heartbeatNanos.size() >= 5);
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var times = List.copyOf(server.heartbeatNanos).subList(0, 5);
        for (int i = 1; i < times.size(); i++) {
            // The fake server asks for a heartbeat every 200 ms; its lease requests are answered every 100 ms.
            assertThat(Duration.ofNanos(times.get(i) - times.get(i - 1))).as("between heartbeats %d and %d", i, i + 1)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(350));
        }
    }

    @Test
    void anIdlePilotWhoseLeaseRepliesRenewItsSessionSendsNoHeartbeatAndUsesTheirTokens() throws Exception {
        server.leaseRenewsSession = true;
        var pilot = start(options(0));

        // Heartbeats are due every 200 ms; lease requests are answered every 100 ms, each with a fresh token.
        await().atMost(Duration.ofSeconds(20)).until(() -> server.leaseRequests.size() >= 30);
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.heartbeats).as("no heartbeat while its lease requests show it alive").isEmpty();
        assertThat(server.sessionTokens).as("tokens from lease replies").hasSizeGreaterThan(20);
        assertThat(server.refusedAuthorizations).as("each one taken up").isEmpty();
    }

    @Test
    void anIdlePilotToldToComeBackLaterSendsNoHeartbeatMeanwhile() throws Exception {
        server.leaseRenewsSession = true;
        server.retryAfterMs = 1_500;
        var pilot = start(options(0));

        // Heartbeats are due every 200 ms; each lease is answered at once, empty: come back in 1.5 s.
        await().atMost(Duration.ofSeconds(20)).until(() -> server.leaseRequests.size() >= 3);
        server.drainWhenNothingQueued = true;
        server.retryAfterMs = 0;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.heartbeats).as("none while it waits as told").isEmpty();
    }

    @Test
    void shortTasksAreQueuedBehindTheSlotsAndReportedInBatches() throws Exception {
        int tasks = 40;
        for (int i = 0; i < tasks; i++) {
            server.tasksToLease.add(task("s" + i, "true", List.of(), List.of(), null));
        }
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(30)).until(() -> server.completions.size() == tasks);
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.values()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.SUCCEEDED));
        // Once a few short tasks have run, the pilot asks for more to queue: at least two a slot, at most 64.
        assertThat(server.leaseRequests).anySatisfy(request -> assertThat(request.prefetch()).isGreaterThanOrEqualTo(4));
        assertThat(server.leaseRequests).allSatisfy(request -> assertThat(request.prefetch()).isLessThanOrEqualTo(128));
        assertThat(server.leaseRequests).first().satisfies(request -> assertThat(request.prefetch()).isZero());
        assertThat(server.completionBatches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(tasks);
    }

    @Test
    void tasksThatFailFastDoNotMakeThePilotQueueMore() throws Exception {
        // A broken host fails every task at once: it must not look like one whose tasks are tiny.
        int tasks = 20;
        for (int i = 0; i < tasks; i++) {
            server.tasksToLease.add(task("f" + i, "false", List.of(), List.of(), null));
        }
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(30)).until(() -> server.completions.size() == tasks);
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.values()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.FAILED));
        assertThat(server.leaseRequests).allSatisfy(request -> assertThat(request.prefetch()).isZero());
    }

    @Test
    void aRejectedTokenStopsThePilotWithExitCode3() throws Exception {
        server.registrationStatus = 401;

        assertThat(start(options(0)).get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(server.byes).hasValue(0);
    }

    @Test
    void aPilotWhoseServerIsGoneWithNothingRunningExitsAfterTheOrphanTimeout() throws Exception {
        var pilot = start(options(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> !server.registrations.isEmpty());

        server.close();

        assertThat(pilot.get(15, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aPilotWhoseWorkIsDoneLeavesAfterItsIdleTimeout() throws Exception {
        server.tasksToLease.add(task("a1", "true", List.of(), List.of(), null));
        var pilot = start(options(0, 1));

        // No drain order: only the idle timeout ends it.
        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(server.completions.get("a1").outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(server.byes).hasValue(1);
    }

    @Test
    void nearItsBatchTimeLimitAPilotLeasesNoMoreFinishesItsTaskAndLeavesBeforeTheLimit() throws Exception {
        var clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
        var leasingStopped = new CountDownLatch(1);
        var watcher = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().contains("leasing no more")) {
                    leasingStopped.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger(Pilot.class.getName()).addHandler(watcher);
        try {
            server.tasksToLease.add(task("a1", "while [ ! -e release ]; do sleep 0.05; done", List.of(), List.of(), null));
            var pilot = start(withTimeLimit(Duration.ofMinutes(10)), clock);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.heartbeats.stream()
                    .flatMap(heartbeat -> heartbeat.attempts().stream())
                    .anyMatch(status -> status.phase() == Heartbeat.Phase.RUNNING));

            // 15 s left: less than the 30 s margin.
            clock.advance(Duration.ofMinutes(9).plusSeconds(45));
            assertThat(leasingStopped.await(10, TimeUnit.SECONDS)).isTrue();
            server.tasksToLease.add(task("late", "true", List.of(), List.of(), null));
            Files.writeString(workDir.resolve("a1").resolve("release"), "");

            assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(clock.instant()).isBefore(Instant.parse("2026-01-01T00:10:00Z"));
            assertThat(server.completions.get("a1").outcome()).as("the running task was not killed")
                    .isEqualTo(Outcome.SUCCEEDED);
            assertThat(server.tasksToLease).extracting(TaskAssignment::attemptId).containsExactly("late");
            assertThat(server.drainWhenNothingQueued).isFalse();
            assertThat(server.byes).hasValue(1);
        } finally {
            Logger.getLogger(Pilot.class.getName()).removeHandler(watcher);
        }
    }

    private CompletableFuture<Integer> start(PilotOptions options, Clock clock) throws IOException {
        var pilot = PilotMain.assemble(options, "secret-token", Duration.ofSeconds(1), Duration.ofMillis(50),
                Optional.empty(), clock);
        return CompletableFuture.supplyAsync(pilot::run);
    }

    private PilotOptions withTimeLimit(Duration limit) {
        var options = options(0);
        return new PilotOptions(options.server(), options.slots(), options.workDir(), options.memoryMb(), options.tags(),
                options.taskPath(), options.idleTimeout(), options.orphanTimeout(), false, false, false,
                options.sandbox(), options.sandboxReadOnly(), limit, null);
    }

    @Test
    void aTaskOfTwoCoresTakesBothSlotsOfAPilotWhileItRuns() throws Exception {
        server.tasksToLease.add(sized("wide", "sleep 1", 2, 0));
        server.tasksToLease.add(sized("narrow", "true", 1, 0));
        var pilot = start(options(0));

        await().atMost(Duration.ofSeconds(15)).until(() -> server.completions.keySet().containsAll(List.of("wide", "narrow")));
        server.drainWhenNothingQueued = true;

        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
        var wide = server.completions.get("wide");
        var narrow = server.completions.get("narrow");
        assertThat(narrow.startedAtMs() >= wide.endedAtMs() || wide.startedAtMs() >= narrow.endedAtMs())
                .as("they never run at once on two slots: wide ran %d-%d, narrow %d-%d", wide.startedAtMs(), wide.endedAtMs(),
                        narrow.startedAtMs(), narrow.endedAtMs()).isTrue();
    }

    @Test
    void aRunningTaskHoldsItsCoresAndMemoryOutOfTheNextLeaseRequest() throws Exception {
        server.tasksToLease.add(sized("hungry", "sleep 2", 2, 768));
        var options = options(0);
        var pilot = start(new PilotOptions(options.server(), 4, options.workDir(), 1024, options.tags(), options.taskPath(),
                options.idleTimeout(), options.orphanTimeout(), false, false, false, options.sandbox(), options.sandboxReadOnly()));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.leaseRequests.stream()
                .anyMatch(request -> request.freeSlots() == 2 && request.freeMemoryMb() == 256));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.completions.containsKey("hungry"));
        server.drainWhenNothingQueued = true;
        assertThat(pilot.get(10, TimeUnit.SECONDS)).isZero();
    }

    private CompletableFuture<Integer> start(PilotOptions options) throws IOException {
        var pilot = PilotMain.assemble(options, "secret-token", Duration.ofSeconds(1), Duration.ofMillis(50),
                Optional.empty());
        return CompletableFuture.supplyAsync(pilot::run);
    }

    private PilotOptions options(long orphanTimeoutSeconds) {
        return options(orphanTimeoutSeconds, 0);
    }

    private PilotOptions options(long orphanTimeoutSeconds, long idleTimeoutSeconds) {
        return new PilotOptions(server.uri(), 2, workDir, 1024, List.of("test"), "/usr/bin:/bin",
                Duration.ofSeconds(idleTimeoutSeconds),
                Duration.ofSeconds(orphanTimeoutSeconds == 0 ? 300 : orphanTimeoutSeconds), false, false, false,
                // On the host: the pids tasks write are then ones these tests can look up.
                PilotOptions.SandboxMode.NONE, List.of());
    }

    /** A task that needs {@code cores} slots and {@code memoryMb} of the pilot's memory. */
    private static TaskAssignment sized(String attemptId, String commandLine, int cores, long memoryMb) {
        return new TaskAssignment(attemptId, "t-" + attemptId, "e1", commandLine, List.of(), List.of(), List.of(), Map.of(),
                null, 30, null, false, cores, memoryMb, 0);
    }

    private static TaskAssignment task(String attemptId, String commandLine, List<InputFile> inputs,
                                       List<OutputSpec> outputs, ProgressSpec progress) {
        return new TaskAssignment(attemptId, "t-" + attemptId, "e1", commandLine, inputs, outputs, List.of(), Map.of(),
                null, 30, progress);
    }

}
