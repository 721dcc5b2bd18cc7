package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Parsing of what SLURM's tools really print. The files in test resources {@code slurm/} were captured on
 * the one-node cluster of {@code .ci/slurm-up} (slurm-wlm 22.05.8 from Debian 12), as root, with:
 * <pre>
 * sbatch --parsable job.sh                                         &gt; sbatch-parsable.txt
 * squeue --noheader --me --format='%i|%T|%j|%k'                    &gt; squeue.txt (two pilots and a job of another tool)
 * (the same after scancel of the running pilot)                    &gt; squeue-completing.txt
 * sbatch --parsable -p nope job.sh                                 2&gt; sbatch-unknown-partition.txt (exit 1)
 * sbatch --parsable --time=abc job.sh                              2&gt; sbatch-bad-time.txt (exit 255)
 * scontrol show partition nope                                     &gt; scontrol-unknown-partition.txt (exit 1)
 * scancel 999999                                                   &gt; scancel-unknown-job.txt (empty, exit 0)
 * </pre>
 */
class SlurmOutputTest {

    @Test
    void theJobIdIsWhatSbatchParsablePrints() throws IOException {
        assertThat(SlurmOutput.jobId(captured("sbatch-parsable.txt"))).isEqualTo("9");
        assertThat(SlurmOutput.jobId("1234;cluster-a\n")).isEqualTo("1234");
    }

    @Test
    void anythingElseIsNoJobId() throws IOException {
        assertThat(SlurmOutput.jobId(captured("sbatch-unknown-partition.txt"))).isNull();
        assertThat(SlurmOutput.jobId("")).isNull();
    }

    @Test
    void squeueListsTheSitesPilotsByTheirCommentAndSkipsOtherJobs() throws IOException {
        var pilots = SlurmOutput.pilots(captured("squeue.txt"), "ci");

        assertThat(pilots).containsOnlyKeys("pilot-b", "3f2a9c1e-0b7d-4e55-9a1c-2f6d8e4b7a10");
        assertThat(pilots.get("pilot-b")).isEqualTo(new SlurmOutput.Job("7", "PENDING"));
        assertThat(pilots.get("3f2a9c1e-0b7d-4e55-9a1c-2f6d8e4b7a10")).isEqualTo(new SlurmOutput.Job("6", "RUNNING"));
        assertThat(pilots.values()).allMatch(SlurmOutput.Job::alive);
    }

    @Test
    void anotherSitesPilotsAreNotOurs() throws IOException {
        assertThat(SlurmOutput.pilots(captured("squeue.txt"), "c")).isEmpty();
        assertThat(SlurmOutput.pilots(captured("squeue.txt"), "other")).isEmpty();
    }

    @Test
    void aCompletingJobIsNoLongerAnActivePilot() throws IOException {
        var pilots = SlurmOutput.pilots(captured("squeue-completing.txt"), "ci");

        assertThat(pilots.get("3f2a9c1e-0b7d-4e55-9a1c-2f6d8e4b7a10").state()).isEqualTo("COMPLETING");
        assertThat(pilots.get("3f2a9c1e-0b7d-4e55-9a1c-2f6d8e4b7a10").alive()).isFalse();
        assertThat(pilots.get("pilot-b").alive()).isTrue();
    }

    @Test
    void anEmptyQueueOrOddLinesGiveNoPilots() {
        assertThat(SlurmOutput.pilots("", "ci")).isEmpty();
        assertThat(SlurmOutput.pilots("\n\n", "ci")).isEmpty();
        assertThat(SlurmOutput.pilots("12|PENDING|x\n13|SOME_NEW_STATE|n|escadrille site=ci pilot=p\n", "ci"))
                .containsOnlyKeys("p");
        assertThat(SlurmOutput.pilots("13|SOME_NEW_STATE|n|escadrille site=ci pilot=p", "ci").get("p").alive())
                .as("a state this version does not know counts as alive, so that no pilot is submitted twice").isTrue();
    }

    @Test
    void capturedErrorsAreSlurmsOwnWords() throws IOException {
        assertThat(captured("sbatch-unknown-partition.txt")).contains("invalid partition specified: nope");
        assertThat(captured("sbatch-bad-time.txt")).contains("Invalid --time specification");
        assertThat(captured("scontrol-unknown-partition.txt")).isEqualTo("Partition nope not found\n");
        assertThat(captured("scancel-unknown-job.txt")).isEmpty();
    }

    static String captured(String name) throws IOException {
        try (InputStream in = SlurmOutputTest.class.getResourceAsStream("/slurm/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
