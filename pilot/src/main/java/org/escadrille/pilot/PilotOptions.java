package org.escadrille.pilot;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The pilot's command line, parsed by hand (the pilot must stay small and start fast).
 *
 * @param workDir     where attempts get their directories, or null for a new temporary directory
 * @param idleTimeout how long without work before the pilot exits; zero for never
 * @param sandbox     whether host tasks run in a bubblewrap sandbox
 * @param sandboxReadOnly directories sandboxed tasks may read beside the system and their PATH (tools, a JDK)
 * @param timeLimit   the batch job's wall-clock limit from the pilot's start ({@link BatchTimeLimit}); zero for none
 * @param token       the token given with {@code --token}, or null (the environment's is preferred)
 */
record PilotOptions(
        URI server,
        int slots,
        Path workDir,
        long memoryMb,
        List<String> tags,
        String taskPath,
        Duration idleTimeout,
        Duration orphanTimeout,
        boolean allowNoContainer,
        boolean keepWorkdirs,
        boolean help,
        SandboxMode sandbox,
        List<Path> sandboxReadOnly,
        Duration timeLimit,
        String token) {

    /** How host tasks are sandboxed. */
    enum SandboxMode {
        /** In bubblewrap when it works on this host (probed at start), else not at all. */
        AUTO,
        /** In bubblewrap, or the pilot does not start. */
        BWRAP,
        /** Not at all: tasks see what the pilot's user sees (a one-user installation). */
        NONE
    }

    /** Options as they were before the sandbox: {@code --sandbox auto}. */
    PilotOptions(URI server, int slots, Path workDir, long memoryMb, List<String> tags, String taskPath,
                 Duration idleTimeout, Duration orphanTimeout, boolean allowNoContainer, boolean keepWorkdirs,
                 boolean help) {
        this(server, slots, workDir, memoryMb, tags, taskPath, idleTimeout, orphanTimeout, allowNoContainer,
                keepWorkdirs, help, SandboxMode.AUTO, List.of());
    }

    /** Options without a batch time limit nor {@code --token}. */
    PilotOptions(URI server, int slots, Path workDir, long memoryMb, List<String> tags, String taskPath,
                 Duration idleTimeout, Duration orphanTimeout, boolean allowNoContainer, boolean keepWorkdirs,
                 boolean help, SandboxMode sandbox, List<Path> sandboxReadOnly) {
        this(server, slots, workDir, memoryMb, tags, taskPath, idleTimeout, orphanTimeout, allowNoContainer,
                keepWorkdirs, help, sandbox, sandboxReadOnly, Duration.ZERO, null);
    }

    static final String USAGE = """
            Usage: java -jar escadrille-pilot.jar --server URL [options]
            The pilot's token is read from the environment variable ESCADRILLE_PILOT_TOKEN, or
            else from --token: a pilot's registration token (good for one registration) or a
            manual site's token. Prefer the environment: other users of this host can read a
            command line (ps), not another user's environment.

              --server URL              the Escadrille server (required)
              --slots N                 tasks run at once (default: the number of processors)
              --work-dir DIR            where tasks get their working directories (default: a temporary directory)
              --memory-mb N             memory offered to tasks (default: the host's)
              --tags a,b                tags the server matches tasks against (a tool's custom."escadrille:pilot-tags")
              --task-path PATH          the PATH of tasks (default: the pilot's own PATH)
              --idle-timeout SECONDS    exit after that long without work; 0 = never (default 0)
              --orphan-timeout SECONDS  exit after the server has been unreachable that long with nothing running (default 300)
              --allow-no-container      run tasks that name a container image on the host when no runtime is installed
              --keep-workdirs           keep each task's working directory after it completed
              --sandbox auto|bwrap|none how host tasks are isolated (default auto: in bubblewrap when it works here)
              --sandbox-read-only DIRS  directories (separated by ':') sandboxed tasks may also read, e.g. a tools
                                        directory or a JDK; the system and the task PATH's directories always are
              --time-limit SECONDS      the batch job's wall-clock limit, counted from the pilot's start: the pilot
                                        stops leasing when the time left is shorter than its longest task so far
                                        plus 10% and 30 s, finishes what it runs and exits; 0 = none (default 0)
              --token TOKEN             the token, when ESCADRILLE_PILOT_TOKEN is not set (visible to other users)
              --help                    print this help
            """;

    PilotOptions {
        tags = List.copyOf(tags);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(orphanTimeout, "orphanTimeout");
        sandbox = sandbox == null ? SandboxMode.AUTO : sandbox;
        sandboxReadOnly = sandboxReadOnly == null ? List.of() : List.copyOf(sandboxReadOnly);
        timeLimit = timeLimit == null ? Duration.ZERO : timeLimit;
    }

    /** Without the token: options may be logged. */
    @Override
    public String toString() {
        return "PilotOptions[server=" + server + ", slots=" + slots + ", workDir=" + workDir + ", tags=" + tags
                + ", idleTimeout=" + idleTimeout + ", sandbox=" + sandbox + (token == null ? "" : ", token=(given)") + "]";
    }

    /** The directories of the task PATH and {@code --sandbox-read-only}: what a sandboxed task may read. */
    List<Path> readableByTasks() {
        var dirs = new ArrayList<Path>();
        for (String entry : taskPath.split(":")) {
            if (entry.startsWith("/")) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.addAll(sandboxReadOnly);
        return dirs;
    }

    /**
     * @param defaultPath     the pilot's own PATH, the tasks' default
     * @param defaultMemoryMb the host's memory, asked only when {@code --memory-mb} is absent
     */
    static PilotOptions parse(String[] args, String defaultPath, Supplier<Long> defaultMemoryMb) throws UsageException {
        URI server = null;
        int slots = Runtime.getRuntime().availableProcessors();
        Path workDir = null;
        Long memoryMb = null;
        List<String> tags = List.of();
        String taskPath = defaultPath == null || defaultPath.isBlank() ? "/usr/local/bin:/usr/bin:/bin" : defaultPath;
        Duration idle = Duration.ZERO;
        Duration orphan = Duration.ofSeconds(300);
        boolean allowNoContainer = false;
        boolean keepWorkdirs = false;
        boolean help = false;
        SandboxMode sandbox = SandboxMode.AUTO;
        List<Path> sandboxReadOnly = List.of();
        Duration timeLimit = Duration.ZERO;
        String token = null;

        var queue = new ArrayList<>(Arrays.asList(args));
        while (!queue.isEmpty()) {
            String arg = queue.remove(0);
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--help", "-h" -> help = true;
                case "--allow-no-container" -> allowNoContainer = true;
                case "--keep-workdirs" -> keepWorkdirs = true;
                case "--server" -> server = url(value(arg, value, queue));
                case "--slots" -> slots = (int) number(arg, value(arg, value, queue), 1, 4096);
                case "--work-dir" -> workDir = Path.of(value(arg, value, queue));
                case "--memory-mb" -> memoryMb = number(arg, value(arg, value, queue), 1, Long.MAX_VALUE);
                case "--tags" -> tags = Arrays.stream(value(arg, value, queue).split(","))
                        .map(String::strip).filter(tag -> !tag.isEmpty()).toList();
                case "--task-path" -> taskPath = value(arg, value, queue);
                case "--idle-timeout" -> idle = Duration.ofSeconds(number(arg, value(arg, value, queue), 0, Long.MAX_VALUE / 1000));
                case "--orphan-timeout" -> orphan = Duration.ofSeconds(number(arg, value(arg, value, queue), 0, Long.MAX_VALUE / 1000));
                case "--token" -> token = value(arg, value, queue).strip();
                case "--sandbox" -> sandbox = sandboxMode(value(arg, value, queue));
                case "--sandbox-read-only" -> sandboxReadOnly = Arrays.stream(value(arg, value, queue).split(":"))
                        .filter(dir -> !dir.isBlank()).map(Path::of).toList();
                case "--time-limit" -> timeLimit = Duration.ofSeconds(number(arg, value(arg, value, queue), 0, Long.MAX_VALUE / 1000));
                default -> throw new UsageException("unknown argument: " + arg);
            }
        }
        if (help) {
            return new PilotOptions(server, slots, workDir, 0, tags, taskPath, idle, orphan, allowNoContainer,
                    keepWorkdirs, true, sandbox, sandboxReadOnly, timeLimit, token);
        }
        if (server == null) {
            throw new UsageException("--server URL is required");
        }
        return new PilotOptions(server, slots, workDir, memoryMb != null ? memoryMb : defaultMemoryMb.get(), tags,
                taskPath, idle, orphan, allowNoContainer, keepWorkdirs, false, sandbox, sandboxReadOnly, timeLimit, token);
    }

    private static String value(String option, String inline, List<String> rest) throws UsageException {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static SandboxMode sandboxMode(String text) throws UsageException {
        return switch (text.strip()) {
            case "auto" -> SandboxMode.AUTO;
            case "bwrap" -> SandboxMode.BWRAP;
            case "none" -> SandboxMode.NONE;
            default -> throw new UsageException("--sandbox must be auto, bwrap or none, got " + text);
        };
    }

    private static long number(String option, String text, long min, long max) throws UsageException {
        try {
            long value = Long.parseLong(text.strip());
            if (value < min || value > max) {
                throw new UsageException(option + " must be between " + min + " and " + max + ", got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, got " + text);
        }
    }

    private static URI url(String text) throws UsageException {
        try {
            URI uri = new URI(text.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException("--server needs an http:// or https:// URL, got " + text);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("--server needs an http:// or https:// URL, got " + text);
        }
    }
}
