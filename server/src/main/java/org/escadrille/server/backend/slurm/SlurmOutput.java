package org.escadrille.server.backend.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what SLURM's tools print: the job id of {@code sbatch --parsable}, the lines of {@code squeue} in
 * {@link #SQUEUE_FORMAT}. Tested on outputs captured from a real cluster (test resources {@code slurm/}).
 */
final class SlurmOutput {
    /** Job id, state, name, comment: the comment last, since it is free text. */
    static final String SQUEUE_FORMAT = "%i|%T|%j|%k";

    /** States in which a job is over or ending: its pilot no longer counts (COMPLETING: being cleaned up). */
    private static final Set<String> ENDING = Set.of("COMPLETING", "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT",
            "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "SPECIAL_EXIT", "REVOKED");

    /** {@code 42}, or {@code 42;cluster} on a federation. */
    private static final Pattern JOB_ID = Pattern.compile("(\\d+)(;\\S+)?");

    private SlurmOutput() {
    }

    /** A job of ours in the queue. */
    record Job(String jobId, String state) {
        boolean alive() {
            return !ENDING.contains(state);
        }
    }

    /** The comment that identifies a pilot's job; {@link #pilots} reads it back. */
    static String comment(String site, String pilotId) {
        return commentPrefix(site) + pilotId;
    }

    private static String commentPrefix(String site) {
        return "escadrille site=" + site + " pilot=";
    }

    /** The job id printed by {@code sbatch --parsable}, or null when it printed something else. */
    static String jobId(String stdout) {
        String line = stdout.strip();
        var matcher = JOB_ID.matcher(line);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** The site's pilots in {@code squeue} output, by pilot id; other jobs (other sites, other users) are skipped. */
    static Map<String, Job> pilots(String squeue, String site) {
        String prefix = commentPrefix(site);
        var pilots = new LinkedHashMap<String, Job>();
        for (String line : squeue.split("\n")) {
            String[] fields = line.strip().split("\\|", 4);
            if (fields.length < 4 || !fields[3].startsWith(prefix)) {
                continue;
            }
            String pilotId = fields[3].substring(prefix.length()).strip();
            if (!pilotId.isEmpty()) {
                pilots.put(pilotId, new Job(fields[0].strip(), fields[1].strip()));
            }
        }
        return pilots;
    }
}
