package org.escadrille.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.server.scheduling.PilotRegistry;

/**
 * A pilot process that the benchmark starts itself (not the server's local backend), inside a CPU
 * cgroup: a shell joins the group first and then {@code exec}s the JVM, so the pilot and every task
 * it starts run under the group's quota from their first instruction.
 */
final class ExternalPilot {
    private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1");

    private final String pilotId;
    private final Process process;

    private ExternalPilot(String pilotId, Process process) {
        this.pilotId = pilotId;
        this.process = process;
    }

    static ExternalPilot start(BenchServer server, PilotRegistry.Credentials credentials, int slots, CpuCgroup cgroup)
            throws IOException {
        Path workDir = server.dataDir().resolve("bench-pilots").resolve(credentials.pilotId());
        Files.createDirectories(workDir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String join = String.join(":", cgroup.joinFiles().stream().map(Path::toString).toList());
        var command = new ArrayList<String>(List.of("/bin/sh", "-c",
                "for f in $(echo \"$0\" | tr : ' '); do echo $$ > \"$f\" || exit 97; done; exec \"$@\"", join, java));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", server.pilotJar().toString(), "--server", server.url(), "--slots",
                Integer.toString(slots), "--work-dir", workDir.toString(), "--task-path", server.taskPath(),
                "--orphan-timeout", "60",
                // In a bubblewrap sandbox a task sees only these besides the system, as the local backend's
                // pilots do: the built-in tools' jars and the JDK that runs them.
                "--sandbox-read-only", server.dataDir().resolve("tools") + ":" + System.getProperty("java.home")));
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("pilot.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(PilotProtocol.TOKEN_ENV, credentials.token());
        return new ExternalPilot(credentials.pilotId(), builder.start());
    }

    String pilotId() {
        return pilotId;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: the pilot stops its attempts and says bye. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
