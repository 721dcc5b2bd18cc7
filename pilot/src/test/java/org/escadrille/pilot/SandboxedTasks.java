package org.escadrille.pilot;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** For tests of the sandbox: bubblewrap where it works here, else the test is skipped and says why. */
final class SandboxedTasks {
    private SandboxedTasks() {
    }

    /** A sandbox for working directories under {@code workRoot}, or the calling test is skipped. */
    static Bubblewrap bubblewrap(Path workRoot, List<Path> readOnly) throws IOException {
        Optional<String> bwrap = Bubblewrap.find(System.getenv("PATH"));
        assumeTrue(bwrap.isPresent(), "bubblewrap is not installed (apt-get install bubblewrap): sandbox not tested");
        var sandbox = new Bubblewrap(bwrap.get(), readOnly, workRoot);
        Path scratch = Files.createTempDirectory("sandbox-probe-");
        try {
            Optional<String> failure = sandbox.probe(scratch);
            assumeTrue(failure.isEmpty(), () -> "bubblewrap does not work here (" + failure.orElse("") + "): sandbox not tested");
        } finally {
            WorkDirectory.deleteTree(scratch);
        }
        return sandbox;
    }

    /**
     * Whether a process that a sandboxed task knows as {@code pidInSandbox} (its PID namespace's
     * number) still runs: found through the last number of {@code NSpid} in /proc, from outside, among
     * the processes running one of {@code programs} (other sandboxes and containers of this host have low pids too).
     */
    static boolean runningInSomeSandbox(long pidInSandbox, String... programs) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(dir -> dir.getFileName().toString().matches("\\d+")).anyMatch(dir -> {
                try {
                    boolean nested = false;
                    boolean zombie = false;
                    for (String line : Files.readAllLines(dir.resolve("status"))) {
                        String[] fields = line.trim().split("\\s+");
                        if (line.startsWith("NSpid:")) {
                            nested = fields.length > 2 && fields[fields.length - 1].equals(Long.toString(pidInSandbox));
                        } else if (line.startsWith("State:")) {
                            zombie = fields.length > 1 && fields[1].equals("Z");
                        }
                    }
                    String program = Path.of(Files.readString(dir.resolve("cmdline"), StandardCharsets.UTF_8)
                            .split("\u0000")[0]).getFileName().toString();
                    return nested && !zombie && List.of(programs).contains(program);
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            });
        }
    }
}
