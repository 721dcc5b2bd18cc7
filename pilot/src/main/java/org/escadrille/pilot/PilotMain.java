package org.escadrille.pilot;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.escadrille.protocol.PilotProtocol;

/**
 * The pilot's entry point: {@code java -jar escadrille-pilot.jar --server URL [options]}, with its
 * registration token in {@code ESCADRILLE_PILOT_TOKEN} (good for one registration; the session token
 * it brings is kept in memory only). Exit codes: 0 done (drained, idle, near its time limit, orphaned), 1 the server
 * refused the registration, 2 bad usage, 3 a token was refused (the registration token spent or
 * expired, the session token expired), 143 stopped by SIGTERM.
 */
public final class PilotMain {
    static {
        // Set before anything touches java.util.logging, which reads them once.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", PilotLogManager.class.getName());
        }
        // One line per event with a timestamp, on stderr: what operators read in batch job logs.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$s %5$s%6$s%n");
        }
    }

    private static final Logger LOG = Logger.getLogger(PilotMain.class.getName());
    static final int USAGE = 2;
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private PilotMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.config.file") == null) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new PilotLogFormatter());
            }
        }
        PilotOptions options;
        try {
            options = PilotOptions.parse(args, System.getenv("PATH"), PilotMain::hostMemoryMb);
        } catch (UsageException e) {
            System.err.println("escadrille-pilot: " + e.getMessage());
            System.err.print(PilotOptions.USAGE);
            System.exit(USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(PilotOptions.USAGE);
            return;
        }
        String token = System.getenv(PilotProtocol.TOKEN_ENV);
        if (token == null || token.isBlank()) {
            token = options.token();
        }
        if (token == null || token.isBlank()) {
            System.err.println("escadrille-pilot: the environment variable " + PilotProtocol.TOKEN_ENV
                    + " (or --token) must hold the pilot's registration token or a manual site's token");
            System.exit(USAGE);
            return;
        }
        Pilot pilot;
        try {
            pilot = assemble(options, token.strip(), KILL_GRACE, Duration.ofMillis(200),
                    ContainerRuntime.detect(System.getenv("PATH")));
        } catch (IOException e) {
            System.err.println("escadrille-pilot: cannot prepare the work directory: " + e.getMessage());
            System.exit(USAGE);
            return;
        } catch (IllegalStateException e) {
            System.err.println("escadrille-pilot: " + e.getMessage());
            System.exit(USAGE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> pilot.stop(Termination.SIGNALLED, "signalled"), "shutdown"));
        System.exit(pilot.run());
    }

    /** Wires a pilot; the tests use it too, with shorter delays. */
    static Pilot assemble(PilotOptions options, String token, Duration killGrace, Duration sampleInterval,
                          Optional<ContainerRuntime> containerRuntime) throws IOException {
        return assemble(options, token, killGrace, sampleInterval, containerRuntime, Clock.systemUTC());
    }

    /** Wires a pilot that reads the time from {@code clock}. */
    static Pilot assemble(PilotOptions options, String token, Duration killGrace, Duration sampleInterval,
                          Optional<ContainerRuntime> containerRuntime, Clock clock) throws IOException {
        // Counted from here, the pilot's start: the batch job started moments before.
        var timeLimit = new BatchTimeLimit(clock, options.timeLimit());
        Path workRoot = options.workDir() != null
                ? Files.createDirectories(options.workDir()).toAbsolutePath()
                : Files.createTempDirectory("escadrille-pilot-");
        Optional<Bubblewrap> sandbox = Bubblewrap.forPilot(options.sandbox(), options.readableByTasks(), workRoot,
                System.getenv("PATH"));
        String host = hostName();
        String version = version();
        var reachability = new ServerReachability(clock);
        var http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newCachedThreadPool(daemons("http")))
                .build();
        var client = new ServerClient(http, options.server(), token, version, reachability);
        var registry = new AttemptRegistry(options.slots());
        var termination = new Termination();
        var session = new PilotSession(options, host, version, client, registry, termination, reachability,
                sandbox.isPresent());
        var heartbeats = new HeartbeatLoop(clock, client, registry, session, termination);
        ScheduledExecutorService logTicks = Executors.newSingleThreadScheduledExecutor(daemons("logs"));
        var reporter = new CompletionReporter(client, registry, termination);
        var recentRuns = new RecentRuns();
        var context = new AttemptContext(clock, host, workRoot, client,
                new TaskRunner(clock, killGrace, sampleInterval, recentRuns::areShort, NativeSpawner.load(), sandbox),
                new TaskEnvironment(options.taskPath()),
                containerRuntime, options.allowNoContainer(), options.keepWorkdirs(),
                new SpareDirectories(workRoot.resolve(".spare"), options.keepWorkdirs() ? 0 : 2 * options.slots()),
                logTicks, heartbeats::nudge, reporter);
        var slotThreads = Executors.newFixedThreadPool(options.slots(), daemons("slot"));
        return new Pilot(options, clock, client, session, registry, termination, heartbeats, context, slotThreads,
                killGrace.plusSeconds(5), recentRuns, timeLimit);
    }

    private static ThreadFactory daemons(String prefix) {
        var count = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static long hostMemoryMb() {
        try {
            var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            // Container-aware: inside a cgroup with a memory limit, this is the limit.
            return Math.max(1, os.getTotalMemorySize() / (1024 * 1024));
        } catch (RuntimeException | LinkageError e) {
            LOG.warning("cannot read the host's memory, offering 1024 MiB; set --memory-mb");
            return 1024;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String name = System.getenv("HOSTNAME");
            return name == null || name.isBlank() ? "localhost" : name;
        }
    }

    private static String version() {
        String version = PilotMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
