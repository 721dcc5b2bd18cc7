package org.escadrille.server.backend.slurm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.backend.remote.ShellQuoting;

/**
 * One pilot's batch job: the {@code sbatch} command (its options on the command line, where the transport
 * quotes them, rather than in {@code #SBATCH} lines that sbatch parses its own way) and the script it runs.
 * The registration token is in neither: the script reads it from a file of mode 0600 and deletes it.
 */
final class SlurmScript {
    static final String TOKEN_FILE = "token";
    static final String SCRIPT_FILE = "pilot.sh";
    static final String OUTPUT_FILE = "pilot.out";
    /** SLURM keeps long names, but squeue and sacct show the first few characters: the pilot id should fit. */
    private static final int MAX_JOB_NAME = 64;

    private SlurmScript() {
    }

    static String pilotDir(SlurmSettings settings, String pilotId) {
        return settings.workDir() + "/pilots/" + pilotId;
    }

    static String jobName(String site, String pilotId) {
        String name = ("escadrille-" + site + "-" + pilotId).replaceAll("[^A-Za-z0-9_.-]", "_");
        // Too long: keep the pilot id whole and shorten the site's name.
        if (name.length() > MAX_JOB_NAME) {
            String tail = "-" + pilotId.replaceAll("[^A-Za-z0-9_.-]", "_");
            String head = "escadrille-" + site.replaceAll("[^A-Za-z0-9_.-]", "_");
            name = head.substring(0, Math.max(10, MAX_JOB_NAME - tail.length())) + tail;
            name = name.substring(0, Math.min(name.length(), MAX_JOB_NAME));
        }
        return name;
    }

    static List<String> sbatch(SlurmSettings settings, PilotLaunch launch) {
        String dir = pilotDir(settings, launch.pilotId());
        var command = new ArrayList<>(List.of("sbatch", "--parsable",
                "--job-name=" + jobName(settings.site(), launch.pilotId()),
                "--comment=" + SlurmOutput.comment(settings.site(), launch.pilotId()),
                "--chdir=" + dir,
                "--output=" + dir + "/" + OUTPUT_FILE,
                "--error=" + dir + "/" + OUTPUT_FILE,
                // The job gets none of the submitting shell's environment: only what the script sets.
                "--export=NONE",
                "--nodes=1", "--ntasks=1",
                "--cpus-per-task=" + settings.cpusPerPilot().orElse(launch.slots())));
        settings.partition().ifPresent(partition -> command.add("--partition=" + partition));
        settings.account().ifPresent(account -> command.add("--account=" + account));
        settings.qos().ifPresent(qos -> command.add("--qos=" + qos));
        settings.timeLimit().ifPresent(limit -> command.add("--time=" + time(limit)));
        settings.memoryMb().ifPresent(memory -> command.add("--mem=" + memory));
        command.addAll(settings.extra());
        command.add(dir + "/" + SCRIPT_FILE);
        return List.copyOf(command);
    }

    /** SLURM's {@code days-hours:minutes:seconds}, rounded down to the minute (its granularity). */
    static String time(Duration limit) {
        long minutes = limit.toMinutes();
        return "%d-%02d:%02d:00".formatted(minutes / (24 * 60), (minutes / 60) % 24, minutes % 60);
    }

    static String script(SlurmSettings settings, PilotLaunch launch, String jarPath) {
        String dir = pilotDir(settings, launch.pilotId());
        var java = new ArrayList<String>();
        java.add(settings.java());
        java.addAll(settings.javaOptions());
        java.addAll(launch.pilotArguments(jarPath, dir + "/work"));
        return """
                #!/bin/sh
                # Escadrille pilot job %s. Its registration token is read from a file that only this
                # user can read, then deleted, so that it never appears on a command line or in this script.
                cd %s || exit 1
                %s=$(cat %s) || exit 1
                rm -f %s
                export %s
                exec %s
                """.formatted(jobName(settings.site(), launch.pilotId()), ShellQuoting.quote(dir), PilotProtocol.TOKEN_ENV,
                TOKEN_FILE, TOKEN_FILE, PilotProtocol.TOKEN_ENV, ShellQuoting.line(java));
    }
}
