package org.escadrille.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.TaskAssignment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against real processes: what it captures, measures, and how it ends them; with the
 * native spawner where this JVM has one (Java 22+ on Linux); {@link TaskRunnerThroughTheJdkTest}
 * runs them again with {@link ProcessBuilder}, the route of a pilot on Java 17.
 */
class TaskRunnerTest {

    @TempDir
    Path temp;

    private TaskRunner runner;

    Optional<NativeSpawner> spawner() {
        return NativeSpawner.load();
    }

    /** What the commands run in: nothing, on the host. */
    Optional<Bubblewrap> sandbox(Path workRoot) {
        return Optional.empty();
    }

    private WorkDirectory workDir;

    @BeforeEach
    void createWorkDirectory() throws IOException {
        runner = new TaskRunner(Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(50), () -> true, spawner(),
                sandbox(temp));
        workDir = new WorkDirectory(temp.resolve("a1"));
        workDir.create();
    }

    @Test
    void exitCodeAndBothLogsAreCaptured() throws IOException {
        var result = run("echo to-stdout; echo to-stderr >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.timedOut()).isFalse();
        assertThat(Files.readString(workDir.stdout())).isEqualTo("to-stdout\n");
        assertThat(Files.readString(workDir.stderr())).isEqualTo("to-stderr\n");
    }

    @Test
    void aQuotedUserStringStaysOneWord() throws IOException {
        String userValue = "a b; echo injected $(id) `id` \"q\" 'x' *";
        String quoted = "'" + userValue.replace("'", "'\\''") + "'";

        var result = run("printf '[%s]\\n' " + quoted);

        assertThat(result.exitCode()).isZero();
        assertThat(Files.readString(workDir.stdout())).isEqualTo("[" + userValue + "]\n");
    }

    @Test
    void theEnvironmentHoldsOnlyWhatTheTaskIsGiven() throws IOException {
        var assignment = new TaskAssignment("a1", "t1", "e1", "env", null, null, null,
                Map.of("GREETING", "hello world"), null, 0, null);
        var env = new TaskEnvironment("/usr/bin:/bin").onHost(assignment, workDir);

        var result = runner.run(CommandSpec.onHost("a1", workDir, "env", env), new RunControl(), ProgressTracker.none());

        assertThat(result.exitCode()).isZero();
        Map<String, String> seen = Files.readAllLines(workDir.stdout()).stream()
                .map(line -> line.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        // PWD is the shell's own: it sets it for whatever it runs.
        assertThat(seen.keySet()).isSubsetOf(Set.of("PATH", "HOME", "TMPDIR", "LANG", "GREETING", "PWD",
                "ESCADRILLE_TASK_ID", "ESCADRILLE_ATTEMPT_ID", "ESCADRILLE_EXECUTION_ID"));
        assertThat(seen).containsEntry("PATH", "/usr/bin:/bin")
                .containsEntry("HOME", workDir.root().toString())
                .containsEntry("TMPDIR", workDir.root().resolve(".escadrille/tmp").toString())
                .containsEntry("LANG", "C.UTF-8")
                .containsEntry("GREETING", "hello world")
                .containsEntry("ESCADRILLE_ATTEMPT_ID", "a1")
                .containsEntry("ESCADRILLE_TASK_ID", "t1")
                .containsEntry("ESCADRILLE_EXECUTION_ID", "e1");
    }

    @Test
    void aTinyCommandIsNotChargedThePilotsMemory() throws IOException {
        // Started directly and gone before any sample: whatever is reported must be the command's own
        // (the kernel's ru_maxrss of a child spawned from the pilot's memory is the JVM's).
        var result = run("true");

        assertThat(result.exitCode()).isZero();
        assertThat(result.peakRssKb()).isLessThan(32 * 1024);
    }

    @Test
    void cpuOfAGrandchildThatAlreadyExitedIsCounted() throws IOException {
        var result = run("sh -c 'i=0; while [ $i -lt 700000 ]; do i=$((i+1)); done'; echo done");

        assertThat(result.exitCode()).isZero();
        assertThat(result.cpuSeconds()).isGreaterThan(0.2);
        assertThat(result.wallSeconds()).isGreaterThan(0.2);
        assertThat(result.peakRssKb()).isPositive();
    }

    @Test
    void thePeakMemoryOfAGrandchildIsMeasured() throws IOException {
        // A shell holding a 48 MB string for half a second: sampled, whoever its parents are (bwrap's too).
        var result = run("sh -c 'x=$(head -c 48000000 /dev/zero | tr \"\\000\" a); sleep 0.5; echo ${#x}'");

        assertThat(result.exitCode()).isZero();
        assertThat(result.peakRssKb()).isGreaterThan(40_000);
    }

    @Test
    void aKillBySignalIsReportedAsSuch() throws IOException {
        var result = run("kill -KILL $$");

        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.signalName()).isEqualTo("SIGKILL");
    }

    @Test
    void theTimeLimitKillsTheCommandAndItsChildren() throws IOException {
        long start = System.nanoTime();

        var result = runner.run(CommandSpec.onHost("a1", workDir, "sleep 60 & echo $! > child.pid; sleep 60",
                env()).withTimeLimit(1), new RunControl(), ProgressTracker.none());

        assertThat(result.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(processAlive(workDir.root().resolve("child.pid"))).isFalse();
    }

    @Test
    void aKillRequestEndsTheWholeTreeEvenAChildThatIgnoresSigterm() throws Exception {
        var control = new RunControl();
        var running = CompletableFuture.supplyAsync(() -> runQuietly(
                CommandSpec.onHost("a1", workDir,
                        "sh -c 'trap \"\" TERM; echo $$ > stubborn.pid; sleep 60' & echo started; wait", env()),
                control, ProgressTracker.none()));
        Path pidFile = workDir.root().resolve("stubborn.pid");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);

        control.kill();
        var result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.killed()).isTrue();
        assertThat(processAlive(pidFile)).isFalse();
    }

    @Test
    void whatARunningCommandUsesIsLeftForTheHeartbeatWhileItRuns() throws Exception {
        var control = new RunControl();
        var running = CompletableFuture.supplyAsync(() -> runQuietly(
                CommandSpec.onHost("a1", workDir, "while :; do :; done", env()), control, ProgressTracker.none()));

        // a busy loop: its CPU seconds grow and it has some resident memory, seen before it ends
        var usage = await().atMost(Duration.ofSeconds(10)).until(control::usage,
                u -> u != null && u.cpuSeconds() > 0.2 && u.rssKb() > 0);
        assertThat(running).isNotDone();

        control.kill();
        var result = running.get(10, TimeUnit.SECONDS);
        assertThat(result.cpuSeconds()).isGreaterThanOrEqualTo(usage.cpuSeconds());
    }

    @Test
    void aStopIsASigtermThatAToolCanTrapToWriteItsPartialResult() throws Exception {
        var control = new RunControl();
        var running = CompletableFuture.supplyAsync(() -> runQuietly(
                CommandSpec.onHost("a1", workDir,
                        "trap 'echo partial > result.txt; exit 0' TERM; echo ready; while :; do sleep 0.1; done", env()),
                control, ProgressTracker.none()));
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(workDir.stdout()).contains("ready"));

        control.stop();
        var result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.stopped()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(Verdict.of(result, Order.Kind.STOP, 0).outcome())
                .isEqualTo(Completion.Outcome.STOPPED);
        assertThat(workDir.root().resolve("result.txt")).hasContent("partial");
    }

    @Test
    void aStoppedToolStillWritesItsPartialResultAfterTheShellThatStartedItEnded() throws Exception {
        var progress = ProgressTracker.of(new TaskAssignment.ProgressSpec("^events: (\\d+)$", null, null), workDir);
        var control = new RunControl();
        // The outer shell dies of the SIGTERM; the tool it started takes its time to write its result.
        var running = CompletableFuture.supplyAsync(() -> runQuietly(
                CommandSpec.onHost("a1", workDir, "sh -c 'trap \"sleep 0.5; echo partial > result.txt; exit 0\" TERM; "
                        + "echo events: 1; while :; do sleep 0.1; done'; echo not reached", env()),
                control, progress));
        await().atMost(Duration.ofSeconds(5)).until(() -> progress.latest() == 1);

        control.stop();
        var result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.stopped()).isTrue();
        assertThat(workDir.root().resolve("result.txt")).hasContent("partial");
    }

    @Test
    void progressIsReadFromStdoutWhileRunningAndAStopFileEndsTheRun() throws Exception {
        var progress = ProgressTracker.of(new TaskAssignment.ProgressSpec("^events: (\\d+)$", null, "STOP"), workDir);
        var control = new RunControl();
        var running = CompletableFuture.supplyAsync(() -> runQuietly(
                CommandSpec.onHost("a1", workDir,
                        "echo 'events: 10'; echo 'noise 99'; echo 'events: 100'; "
                                + "while [ ! -f STOP ]; do sleep 0.05; done; printf 'events: 150'", env())
                        .withStopFile("STOP"),
                control, progress));
        await().atMost(Duration.ofSeconds(5)).until(() -> progress.latest() == 100);

        control.stop();
        var result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.stopped()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(progress.latest()).isEqualTo(150);
    }

    @Test
    void aToolIsStoppedWhenItReachesItsStopTargetWithoutAnyOrder() throws Exception {
        var progress = ProgressTracker.of(new TaskAssignment.ProgressSpec("^events: (\\d+)$", null, null), workDir);
        var control = new RunControl();
        control.stopAt(300);

        var result = runner.run(CommandSpec.onHost("a1", workDir,
                "trap 'echo \"stopped at $n\" > result.txt; exit 0' TERM; n=0; "
                        + "while [ $n -lt 100000 ]; do n=$((n+10)); echo \"events: $n\"; sleep 0.01; done", env()),
                control, progress);

        assertThat(result.stopped()).isTrue();
        assertThat(control.request()).as("no order was given").isEqualTo(RunControl.Request.NONE);
        assertThat(Verdict.of(result, null, 0).outcome()).isEqualTo(Completion.Outcome.STOPPED);
        assertThat(progress.latest()).isBetween(300L, 2_000L);
    }

    @Test
    void aPlainCommandRunsWithoutTheShellWrapper() throws IOException {
        var result = run("echo hello");

        assertThat(result.exitCode()).isZero();
        assertThat(Files.readString(workDir.stdout())).isEqualTo("hello\n");
        // Only the wrapper writes the children's CPU times.
        assertThat(workDir.times()).doesNotExist();
    }

    @Test
    void aPlainCommandsExitCodeIsItsOwn() throws IOException {
        var result = run("false");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(workDir.times()).doesNotExist();
    }

    @Test
    void aPlainCommandIsFoundThroughTheTasksPathAndSeesExactlyTheTaskEnvironment() throws IOException {
        Path bin = Files.createDirectories(workDir.root().resolve("tools"));
        Path tool = bin.resolve("show-env");
        Files.writeString(tool, "#!/bin/sh\necho \"args: $*\"\nexec env\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        var env = Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", workDir.root().toString(), "GREETING", "hi");

        var result = runner.run(CommandSpec.onHost("a1", workDir, "show-env a  b", env), new RunControl(),
                ProgressTracker.none());

        assertThat(result.exitCode()).isZero();
        assertThat(workDir.times()).doesNotExist();
        var lines = Files.readAllLines(workDir.stdout());
        assertThat(lines.get(0)).isEqualTo("args: a b");
        // The script's own shell adds PWD; nothing of the pilot's environment comes through.
        assertThat(lines.subList(1, lines.size()).stream().filter(line -> !line.startsWith("PWD=")))
                .containsExactlyInAnyOrder("PATH=" + bin + ":/usr/bin:/bin", "HOME=" + workDir.root(), "GREETING=hi");
    }

    @Test
    void aCommandLineWithShellSyntaxStillGoesThroughTheShell() throws IOException {
        var redirected = run("echo a > out.txt");

        assertThat(redirected.exitCode()).isZero();
        assertThat(workDir.root().resolve("out.txt")).hasContent("a");
        assertThat(workDir.times()).exists();

        var expanded = run("echo $HOME");

        assertThat(expanded.exitCode()).isZero();
        assertThat(Files.readString(workDir.stdout())).isEqualTo(workDir.root() + "\n");
    }

    @Test
    void anUnknownProgramIsLeftToTheShellToReportWithStatus127() throws IOException {
        var result = run("no-such-program-xyz --flag");

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(workDir.times()).exists();
        assertThat(Files.readString(workDir.stderr())).contains("no-such-program-xyz");
    }

    @Test
    void aStopSendsSigtermToAPlainCommandItself() throws Exception {
        var control = new RunControl();
        var running = CompletableFuture.supplyAsync(() -> runQuietly(
                CommandSpec.onHost("a1", workDir, "sleep 30", env()), control, ProgressTracker.none()));
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.current().descendants()
                .anyMatch(handle -> handle.info().command().map(command -> command.endsWith("/sleep")).orElse(false)
                        && handle.info().arguments().map(args -> List.of(args).equals(List.of("30"))).orElse(false)));
        long start = System.nanoTime();

        control.stop();
        var result = running.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(result.stopped()).isTrue();
        assertThat(result.killed()).isFalse();
        assertThat(result.exitCode()).isEqualTo(143);
        assertThat(result.signalName()).isEqualTo("SIGTERM");
        assertThat(workDir.times()).doesNotExist();
    }

    private CommandResult run(String commandLine) throws IOException {
        return runner.run(CommandSpec.onHost("a1", workDir, commandLine, env()), new RunControl(), ProgressTracker.none());
    }

    private CommandResult runQuietly(CommandSpec spec, RunControl control, ProgressTracker progress) {
        try {
            return runner.run(spec, control, progress);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> env() {
        return Map.of("PATH", "/usr/bin:/bin", "HOME", workDir.root().toString());
    }

    /** Whether the process whose pid the task wrote (as the task sees it) still runs. */
    boolean processAlive(Path pidFile) throws IOException {
        long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
        // A zombie waiting for this machine's PID 1 to reap it has exited: it does not count.
        return ProcessHandle.of(pid).map(ProcessTreeSampler::isRunning).orElse(false);
    }

}
