package org.escadrille.server.backend.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.backend.remote.CommandResult;
import org.escadrille.server.backend.remote.Commands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pilots of one site as SLURM batch jobs: {@code sbatch} submits them, {@code squeue} lists them (by the
 * comment that names the site and the pilot, so that a restarted server finds its jobs again),
 * {@code scancel} removes them. The commands run on this machine or on a login node ({@link Commands}).
 */
public final class SlurmBackend implements Backend {
    private static final Logger log = LoggerFactory.getLogger(SlurmBackend.class);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    /** The name of the pilot jar copied into work-dir: by content, so that an upgrade never replaces a jar in use. */
    private static final String JAR_PREFIX = "escadrille-pilot-";

    private final SlurmSettings settings;
    private final Commands commands;
    /** Pilot id → job id, of the jobs this instance submitted; squeue fills in the others. */
    private final Map<String, String> jobs = new ConcurrentHashMap<>();
    /** Local jar → its path on the cluster, once copied and checked. */
    private final Map<Path, String> copiedJars = new ConcurrentHashMap<>();
    private volatile Set<String> lastActive = Set.of();

    SlurmBackend(SlurmSettings settings, Commands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public void submit(PilotLaunch launch) throws IOException {
        String dir = SlurmScript.pilotDir(settings, launch.pilotId());
        String jar = pilotJar(launch.pilotJar());
        // The pilot's directory is the user's alone: it holds the token until the job starts.
        run(List.of("mkdir", "-p", dir + "/work"), "cannot create the pilot's directory");
        run(List.of("chmod", "700", dir), "cannot restrict the pilot's directory");
        commands.write(dir + "/" + SlurmScript.TOKEN_FILE, launch.token().getBytes(StandardCharsets.UTF_8), 0600);
        commands.write(dir + "/" + SlurmScript.SCRIPT_FILE,
                SlurmScript.script(settings, launch, jar).getBytes(StandardCharsets.UTF_8), 0700);
        CommandResult result = commands.run(SlurmScript.sbatch(settings, launch), COMMAND);
        String jobId = result.succeeded() ? SlurmOutput.jobId(result.stdout()) : null;
        if (jobId == null) {
            // No job will read the token: it does not stay on the cluster's disk.
            commands.run(List.of("rm", "-f", dir + "/" + SlurmScript.TOKEN_FILE), COMMAND);
            throw new IOException(result.succeeded()
                    ? "sbatch printed no job id for pilot " + launch.pilotId() + ": " + result.message()
                    : "sbatch refused pilot " + launch.pilotId() + " on " + commands.where() + ": " + result.message());
        }
        jobs.put(launch.pilotId(), jobId);
        log.info("submitted pilot {} of site {} as SLURM job {} with {} slot(s)", launch.pilotId(), settings.site(), jobId,
                launch.slots());
    }

    /** The pilot jar's path on the cluster: the shared one of the settings, or a copy checked by its SHA-256. */
    private String pilotJar(Path local) throws IOException {
        if (settings.pilotJar().isPresent()) {
            return settings.pilotJar().get();
        }
        String known = copiedJars.get(local);
        if (known != null) {
            return known;
        }
        String sha256 = Sha256.of(local);
        String remote = settings.workDir() + "/" + JAR_PREFIX + sha256.substring(0, 16) + ".jar";
        run(List.of("mkdir", "-p", settings.workDir()), "cannot create the work directory");
        CommandResult there = commands.run(List.of("sha256sum", remote), COMMAND);
        boolean present = there.succeeded() && there.stdout().startsWith(sha256 + " ");
        if (!present) {
            commands.copy(local, remote);
            CommandResult copied = commands.run(List.of("sha256sum", remote), COMMAND);
            if (!copied.succeeded() || !copied.stdout().startsWith(sha256 + " ")) {
                throw new IOException("the pilot jar copied to " + remote + " on " + commands.where()
                        + " does not have the expected SHA-256 (" + copied.message() + ")");
            }
            log.info("copied the pilot jar ({} bytes) to {} on {}", Files.size(local), remote, commands.where());
        }
        copiedJars.put(local, remote);
        return remote;
    }

    /**
     * One {@code squeue} for all the site's jobs. When SLURM does not answer, the last answer stands (so that
     * the factory does not take a silent controller for an empty queue and submit again).
     */
    @Override
    public Set<String> active() {
        try {
            Map<String, SlurmOutput.Job> queued = queue();
            var alive = new HashSet<String>();
            queued.forEach((pilotId, job) -> {
                jobs.putIfAbsent(pilotId, job.jobId());
                if (job.alive()) {
                    alive.add(pilotId);
                }
            });
            jobs.keySet().removeIf(pilotId -> !queued.containsKey(pilotId));
            lastActive = Set.copyOf(alive);
        } catch (IOException e) {
            log.warn("site {}: squeue failed, keeping the last list of pilots: {}", settings.site(), e.getMessage());
        }
        return lastActive;
    }

    private Map<String, SlurmOutput.Job> queue() throws IOException {
        CommandResult result = commands.run(List.of("squeue", "--noheader", "--me", "--format=" + SlurmOutput.SQUEUE_FORMAT), COMMAND);
        if (!result.succeeded()) {
            throw new IOException("squeue on " + commands.where() + ": " + result.message());
        }
        return SlurmOutput.pilots(result.stdout(), settings.site());
    }

    @Override
    public void cancel(String pilotId) {
        try {
            String jobId = jobs.get(pilotId);
            if (jobId == null) {
                SlurmOutput.Job job = queue().get(pilotId);
                if (job == null) {
                    return;
                }
                jobId = job.jobId();
            }
            CommandResult result = commands.run(List.of("scancel", jobId), COMMAND);
            // scancel of a job that has ended is not an error for us: the pilot is gone either way.
            if (!result.succeeded() && !result.message().contains("Invalid job id")) {
                log.warn("site {}: scancel of pilot {} (job {}) failed: {}", settings.site(), pilotId, jobId, result.message());
                return;
            }
            log.info("cancelled pilot {} of site {} (SLURM job {})", pilotId, settings.site(), jobId);
        } catch (IOException e) {
            log.warn("site {}: cannot cancel pilot {}: {}", settings.site(), pilotId, e.getMessage());
        }
    }

    @Override
    public Optional<String> log(String pilotId, int maxBytes) {
        try {
            return commands.tail(SlurmScript.pilotDir(settings, pilotId) + "/" + SlurmScript.OUTPUT_FILE, maxBytes);
        } catch (IOException e) {
            log.warn("site {}: cannot read the output of pilot {}: {}", settings.site(), pilotId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Asks SLURM whether it would take a pilot job with the site's settings ({@code sbatch --test-only} checks
     * partition, account, QOS, time limit and resources without submitting), after {@code scontrol} for a clear
     * message about an unknown partition.
     */
    @Override
    public void check() throws IOException {
        if (settings.partition().isPresent()) {
            CommandResult partition = commands.run(List.of("scontrol", "show", "partition", settings.partition().get()), COMMAND);
            if (!partition.succeeded()) {
                throw new IOException("SLURM on " + commands.where() + ": " + partition.message());
            }
        }
        var test = new ArrayList<>(SlurmScript.sbatch(settings, new PilotLaunch("check", "unused", "http://unused",
                Path.of("unused"), 1, null, null)));
        test.removeLast();
        test.removeIf(option -> option.startsWith("--chdir=") || option.startsWith("--output=") || option.startsWith("--error=")
                || option.equals("--parsable"));
        test.addAll(1, List.of("--test-only", "--wrap=true"));
        CommandResult result = commands.run(test, COMMAND);
        if (!result.succeeded()) {
            throw new IOException("SLURM on " + commands.where() + " would refuse the site's pilot jobs: " + result.message());
        }
    }

    @Override
    public void close() {
        commands.close();
    }

    private void run(List<String> command, String what) throws IOException {
        CommandResult result = commands.run(command, COMMAND);
        if (!result.succeeded()) {
            throw new IOException(what + " on " + commands.where() + ": " + result.message());
        }
    }
}
