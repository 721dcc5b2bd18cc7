package org.escadrille.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tools Escadrille's dispatch is compared with, each running {@code n} no-op tasks two at a time:
 * {@code xargs -P2} (the bare cost of fork and exec), GNU parallel {@code -j2} and snakemake
 * {@code --cores 2} (one rule whose jobs run {@code true} and touch their output); and, beside the
 * sandboxed pilots' row, {@code xargs -P2} running each {@code true} in bubblewrap as a pilot does
 * ({@code xargs-bwrap}).
 */
final class ReferenceTools {
    private static final String SNAKEFILE = """
            N = int(config["n"])

            rule all:
                input: expand("out/{i}", i=range(N))

            rule noop:
                output: "out/{i}"
                shell: "true; touch {output}"
            """;

    private ReferenceTools() {
    }

    /** Whether the tool is on the PATH (bench/run installs parallel and snakemake with apt-get when missing). */
    static boolean available(String tool) {
        if (tool.equals("xargs-bwrap")) {
            return available("xargs") && available("bwrap");
        }
        return List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /**
     * The sandbox of a pilot's task (the pilot's {@code Bubblewrap}, less its masks of /etc's unreadable
     * files), here of one working directory for all: namespaces, read-only system, private /tmp, no network.
     */
    static List<String> bwrap(Path workDir) {
        var args = new ArrayList<>(List.of("bwrap"));
        for (String dir : List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")) {
            Path path = Path.of(dir);
            if (Files.isSymbolicLink(path)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), dir));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isDirectory(path)) {
                args.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        String dir = workDir.toAbsolutePath().toString();
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--unshare-net",
                "--tmpfs", "/tmp", "--bind", dir, dir, "--remount-ro", "/", "--chdir", dir, "--clearenv",
                "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", dir, "--"));
        return args;
    }

    /** Runs {@code tool} on {@code n} tasks in a fresh {@code workDir}; returns the wall time in seconds. */
    static double run(String tool, int n, Path workDir) throws IOException, InterruptedException {
        BenchServer.deleteTree(workDir);
        Files.createDirectories(workDir);
        String script = switch (tool) {
            case "xargs" -> "seq 0 " + (n - 1) + " | xargs -P2 -n1 true";
            case "xargs-bwrap" -> "seq 0 " + (n - 1) + " | xargs -P2 -n1 " + String.join(" ", bwrap(workDir)) + " true";
            case "parallel" -> "seq 0 " + (n - 1) + " | parallel --will-cite -j2 true";
            case "snakemake" -> {
                Files.writeString(workDir.resolve("Snakefile"), SNAKEFILE);
                yield "snakemake --cores 2 --quiet --config n=" + n + " > snakemake.log 2>&1";
            }
            default -> throw new IllegalArgumentException("unknown reference tool " + tool);
        };
        var process = new ProcessBuilder("/bin/bash", "-c", "set -o pipefail; " + script).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("output.log").toFile()).start();
        long start = System.nanoTime();
        int code = process.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            throw new IllegalStateException(tool + " exited with " + code + "; see " + workDir);
        }
        return seconds;
    }
}
