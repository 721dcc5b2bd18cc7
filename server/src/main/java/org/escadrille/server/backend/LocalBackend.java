package org.escadrille.server.backend;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.escadrille.protocol.PilotProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pilots as child processes of the server, on this machine: the laptop default. Their output goes
 * to {@code <work-dir>/pilot.log}. On shutdown they get SIGTERM and say goodbye.
 */
public final class LocalBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);

    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, Path> logs = new ConcurrentHashMap<>();
    private final List<String> jvmOptions;
    private final List<String> tags;
    private final String sandbox;
    private final List<Path> sandboxReadOnly;

    public LocalBackend(String jvmOptions, List<String> tags) {
        this(jvmOptions, tags, "auto", List.of());
    }

    /**
     * @param sandbox         the pilots' {@code --sandbox}: auto, bwrap or none
     * @param sandboxReadOnly what their sandboxed tasks may read beside the system and their PATH (the
     *                        tools directory, the JDK that runs Java tools), never the data directory
     */
    public LocalBackend(String jvmOptions, List<String> tags, String sandbox, List<Path> sandboxReadOnly) {
        this.jvmOptions = jvmOptions == null || jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.strip().split("\\s+"));
        this.tags = List.copyOf(tags);
        this.sandbox = sandbox;
        this.sandboxReadOnly = List.copyOf(sandboxReadOnly);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void submit(PilotLaunch launch) throws IOException {
        Files.createDirectories(launch.workDir());
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(launch.pilotArguments(launch.pilotJar().toString(), launch.workDir().toString()));
        command.addAll(List.of("--orphan-timeout", "120"));
        // The factory's options for the site win over this backend's own defaults.
        if (!tags.isEmpty() && !launch.options().contains("--tags")) {
            command.addAll(List.of("--tags", String.join(",", tags)));
        }
        if (!launch.options().contains("--sandbox")) {
            command.addAll(List.of("--sandbox", sandbox));
        }
        if (!sandboxReadOnly.isEmpty()) {
            command.addAll(List.of("--sandbox-read-only",
                    sandboxReadOnly.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
        }
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.workDir().resolve("pilot.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(PilotProtocol.TOKEN_ENV, launch.token());
        Process process = builder.start();
        processes.put(launch.pilotId(), process);
        logs.put(launch.pilotId(), launch.workDir().resolve("pilot.log"));
        log.info("started local pilot {} (pid {}) with {} slot(s)", launch.pilotId(), process.pid(), launch.slots());
    }

    @Override
    public Set<String> active() {
        processes.values().removeIf(process -> !process.isAlive());
        return processes.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void cancel(String pilotId) {
        Process process = processes.remove(pilotId);
        if (process != null) {
            process.destroy();
        }
    }

    @Override
    public Optional<String> log(String pilotId, int maxBytes) {
        Path file = logs.get(pilotId);
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (var channel = Files.newByteChannel(file)) {
            long size = channel.size();
            channel.position(Math.max(0, size - maxBytes));
            var buffer = ByteBuffer.allocate((int) Math.min(size, maxBytes));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // reads until the end of the file
            }
            return Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The process of a pilot, for operators' tools and fault tests (which kill it). */
    public Optional<ProcessHandle> process(String pilotId) {
        return Optional.ofNullable(processes.get(pilotId)).map(Process::toHandle);
    }

    /** Stops every pilot: SIGTERM, then SIGKILL for those still alive after {@code graceMs}. */
    public void stopAll(long graceMs) {
        processes.values().forEach(Process::destroy);
        long deadline = System.currentTimeMillis() + graceMs;
        for (Process process : processes.values()) {
            try {
                long left = Math.max(0, deadline - System.currentTimeMillis());
                if (!process.waitFor(left, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        processes.clear();
    }
}
