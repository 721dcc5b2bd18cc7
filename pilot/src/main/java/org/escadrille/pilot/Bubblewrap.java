package org.escadrille.pilot;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The sandbox of host tasks: bubblewrap ({@code bwrap}) runs a task's command with only its working
 * directory writable (bound at its own path, so that the rendered command line's paths still work),
 * the system read-only, a private {@code /tmp}, its own {@code /proc} in a new PID namespace (no
 * other process visible, the pilot's least of all), no capabilities, no network unless the task is
 * granted it, and exactly the task's environment.
 *
 * <p>What a task may read beyond the system is what the operator says: the directories of the tasks'
 * {@code PATH} and the extra read-only directories ({@code --sandbox-read-only}), each bound alone;
 * never one that holds the working directories (a data directory, with its keys and every user's
 * files). In {@code /etc}, what other users may not read (shadow, private keys) is masked too: a pilot
 * running as root would otherwise read it as its owner.
 */
final class Bubblewrap {
    private static final Logger LOG = Logger.getLogger(Bubblewrap.class.getName());
    /** The system, bound read-only where it exists (as a symbolic link where the host has one: merged /usr). */
    static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc");

    private final String executable;
    /** The arguments every task shares: system, masks, namespaces; computed once. */
    private final List<String> common;
    private final List<Path> readOnly;

    /**
     * @param executable the {@code bwrap} program
     * @param readOnly   directories tasks may read (the tasks' PATH, the tools, a JDK), each bound alone
     * @param workRoot   where the pilot makes working directories: no directory that holds it is bound
     */
    Bubblewrap(String executable, List<Path> readOnly, Path workRoot) {
        this.executable = executable;
        this.common = commonArguments();
        Path root = workRoot.toAbsolutePath().normalize();
        var kept = new ArrayList<Path>();
        for (Path dir : readOnly) {
            Path normal = dir.toAbsolutePath().normalize();
            if (Files.isDirectory(normal) && !overlaps(normal, root) && !underSystem(normal) && !kept.contains(normal)) {
                kept.add(normal);
            }
        }
        this.readOnly = List.copyOf(kept);
    }

    /**
     * The sandbox a pilot runs its host tasks in, as {@code mode} asks: probed once, and said in the
     * pilot's log.
     *
     * @throws IllegalStateException when {@code mode} is {@code BWRAP} and bwrap does not work here
     */
    static Optional<Bubblewrap> forPilot(PilotOptions.SandboxMode mode, List<Path> readOnly, Path workRoot,
                                         String pilotPath) throws IOException {
        if (mode == PilotOptions.SandboxMode.NONE) {
            LOG.warning("tasks run WITHOUT a sandbox (--sandbox none): they can read whatever this pilot's user can");
            return Optional.empty();
        }
        Optional<String> found = find(pilotPath);
        String why;
        if (found.isEmpty()) {
            why = "bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)";
        } else {
            var sandbox = new Bubblewrap(found.get(), readOnly, workRoot);
            Path scratch = Files.createTempDirectory(workRoot, ".sandbox-probe-");
            Optional<String> failure;
            try {
                failure = sandbox.probe(scratch);
            } finally {
                WorkDirectory.deleteTree(scratch);
            }
            if (failure.isEmpty()) {
                LOG.info(() -> "tasks run in a bubblewrap sandbox (" + found.get() + "); readable beside the system: "
                        + sandbox.readOnly());
                return Optional.of(sandbox);
            }
            why = failure.get();
        }
        if (mode == PilotOptions.SandboxMode.BWRAP) {
            throw new IllegalStateException("--sandbox bwrap, but bubblewrap does not work here: " + why);
        }
        LOG.warning("tasks run WITHOUT a sandbox: " + why + "; a server that is not a one-user installation "
                + "gives this pilot no tasks");
        return Optional.empty();
    }

    /** {@code bwrap} on the pilot's PATH. */
    static Optional<String> find(String pilotPath) {
        if (pilotPath == null) {
            return Optional.empty();
        }
        for (String dir : pilotPath.split(":")) {
            if (dir.startsWith("/")) {
                Path candidate = Path.of(dir, "bwrap");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toString());
                }
            }
        }
        return Optional.empty();
    }

    String executable() {
        return executable;
    }

    /** The directories bound read-only beside the system. */
    List<Path> readOnly() {
        return readOnly;
    }

    /**
     * The command that runs {@code argv} in the sandbox of the working directory {@code workDir},
     * with exactly {@code environment}.
     */
    List<String> command(List<String> argv, Map<String, String> environment, Path workDir, boolean network) {
        var args = new ArrayList<String>(common.size() + 2 * environment.size() + argv.size() + 24);
        args.add(executable);
        args.addAll(common);
        if (network) {
            // DNS: /etc/resolv.conf often links into /run (systemd-resolved), which is not bound otherwise.
            resolvConf().ifPresent(target -> args.addAll(List.of("--ro-bind-try", target, target)));
        } else {
            args.add("--unshare-net");
        }
        // A private /tmp first: the binds below may lie under /tmp, and their mount points then go in it.
        args.addAll(List.of("--tmpfs", "/tmp"));
        for (Path dir : readOnly) {
            args.addAll(List.of("--ro-bind", dir.toString(), dir.toString()));
        }
        String dir = workDir.toString();
        // Last, the sandbox's root (a tmpfs holding the mount points) read-only: nothing but the
        // working directory and /tmp takes a write.
        args.addAll(List.of("--bind", dir, dir, "--remount-ro", "/", "--chdir", dir, "--clearenv"));
        new TreeMap<>(environment).forEach((name, value) -> args.addAll(List.of("--setenv", name, value)));
        args.add("--");
        args.addAll(argv);
        return args;
    }

    /**
     * Runs {@code true} in a sandbox of {@code scratch} (an empty directory): empty when it works,
     * else why not (bwrap missing, user namespaces refused, ...).
     */
    Optional<String> probe(Path scratch) {
        try {
            var builder = new ProcessBuilder(command(List.of("/bin/true"), Map.of("PATH", "/usr/bin:/bin"), scratch, false))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // bwrap itself gets nothing of the pilot's environment (its token), as for tasks.
            builder.environment().clear();
            Process process = builder.start();
            byte[] output = process.getInputStream().readNBytes(4096);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of(executable + " did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                String said = new String(output, StandardCharsets.UTF_8).strip();
                return Optional.of(executable + " exited with " + process.exitValue() + (said.isEmpty() ? "" : ": " + said));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static List<String> commonArguments() {
        var args = new ArrayList<String>();
        for (String dir : SYSTEM) {
            Path path = Path.of(dir);
            if (Files.isSymbolicLink(path)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), dir));
                } catch (IOException e) {
                    // Unreadable link: leave it out, as a missing directory is.
                }
            } else if (Files.isDirectory(path)) {
                args.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        args.addAll(unreadableInEtc());
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev",
                "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--die-with-parent", "--new-session",
                // Run as root, bwrap would leave the task every capability; run as a user, it has none anyway.
                "--cap-drop", "ALL"));
        return List.copyOf(args);
    }

    /**
     * Masks for what in /etc other users may not read but the pilot could (as root, or as its owner):
     * an empty file, an empty read-only directory. A pilot run by a service user usually has none to
     * mask, and pays nothing for them (each is a mount, about a millisecond per task).
     */
    private static List<String> unreadableInEtc() {
        var masks = new ArrayList<String>();
        Path etc = Path.of("/etc");
        if (!Files.isDirectory(etc) || Files.isSymbolicLink(etc)) {
            return masks;
        }
        try {
            Files.walkFileTree(etc, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(etc) && !othersMay(dir, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE)
                            && Files.isReadable(dir) && Files.isExecutable(dir)) {
                        masks.addAll(List.of("--tmpfs", dir.toString(), "--remount-ro", dir.toString()));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && !othersMay(file, PosixFilePermission.OTHERS_READ) && Files.isReadable(file)) {
                        masks.addAll(List.of("--ro-bind", "/dev/null", file.toString()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // The walk skips what it cannot read; this is only an I/O error on /etc itself.
        }
        return masks;
    }

    private static boolean othersMay(Path path, PosixFilePermission... permissions) throws IOException {
        var granted = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        return granted.containsAll(List.of(permissions));
    }

    /** Already bound (a link like /bin leads into /usr, which is). */
    private static boolean underSystem(Path dir) {
        return SYSTEM.stream().anyMatch(dir::startsWith);
    }

    /** Whether one holds the other, also through symbolic links. */
    private static boolean overlaps(Path dir, Path workRoot) {
        Path realDir = real(dir);
        Path realRoot = real(workRoot);
        return realRoot.startsWith(realDir) || realDir.startsWith(realRoot)
                || workRoot.startsWith(dir) || dir.startsWith(workRoot);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    private static Optional<String> resolvConf() {
        try {
            Path real = Path.of("/etc/resolv.conf").toRealPath();
            return real.startsWith("/etc") || underSystem(real) ? Optional.empty() : Optional.of(real.getParent().toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
