package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.escadrille.server.backend.PilotLaunch;
import org.junit.jupiter.api.Test;

/** The batch job of one pilot: identified by site and pilot, sized by the settings, and without its token. */
class SlurmScriptTest {
    private static final PilotLaunch LAUNCH = new PilotLaunch("p-42", "secret-token-42", "https://gw.example.org",
            Path.of("/srv/escadrille-pilot.jar"), 3, null, null, List.of("--idle-timeout", "300"));

    @Test
    void theJobCarriesTheSiteAndPilotInItsNameAndComment() {
        List<String> sbatch = SlurmScript.sbatch(settings(Map.of()), LAUNCH);

        assertThat(sbatch).startsWith("sbatch", "--parsable").endsWith("/scratch/gw/pilots/p-42/pilot.sh")
                .contains("--job-name=escadrille-hpc-p-42", "--comment=escadrille site=hpc pilot=p-42",
                        "--output=/scratch/gw/pilots/p-42/pilot.out", "--error=/scratch/gw/pilots/p-42/pilot.out",
                        "--export=NONE", "--cpus-per-task=3");
        assertThat(sbatch).noneMatch(word -> word.startsWith("--partition") || word.startsWith("--time") || word.startsWith("--mem"));
    }

    @Test
    void theSettingsSizeTheJob() {
        List<String> sbatch = SlurmScript.sbatch(settings(Map.of("partition", "short", "account", "vip", "qos", "high",
                "time-limit", "1590m", "cpus-per-pilot", "8", "memory-mb", "4000",
                "extra", "--constraint=intel")), LAUNCH);

        assertThat(sbatch).contains("--partition=short", "--account=vip", "--qos=high", "--time=1-02:30:00",
                "--cpus-per-task=8", "--mem=4000", "--constraint=intel");
    }

    @Test
    void slurmTimeIsDaysHoursMinutes() {
        assertThat(SlurmScript.time(Duration.ofMinutes(1))).isEqualTo("0-00:01:00");
        assertThat(SlurmScript.time(Duration.ofHours(49).plusSeconds(59))).isEqualTo("2-01:00:00");
    }

    @Test
    void aLongJobNameKeepsThePilotIdWhole() {
        String pilotId = "3f2a9c1e-0b7d-4e55-9a1c-2f6d8e4b7a10";
        String name = SlurmScript.jobName("a-site-with-a-very-long-name-indeed-longer-than-anyone-types", pilotId);

        assertThat(name).hasSizeLessThanOrEqualTo(64).startsWith("escadrille-a-site").endsWith("-" + pilotId);
        assertThat(SlurmScript.jobName("my site", "p1")).isEqualTo("escadrille-my_site-p1");
    }

    @Test
    void theTokenIsNeitherInTheScriptNorOnTheCommandLine() {
        SlurmSettings settings = settings(Map.of("java", "/opt/jdk/bin/java", "java-options", "-Xmx256m"));

        String script = SlurmScript.script(settings, LAUNCH, "/scratch/gw/escadrille-pilot-0123.jar");

        assertThat(script).doesNotContain("secret-token-42");
        assertThat(SlurmScript.sbatch(settings, LAUNCH)).noneMatch(word -> word.contains("secret-token-42"));
        assertThat(script).contains("ESCADRILLE_PILOT_TOKEN=$(cat token) || exit 1", "rm -f token", "export ESCADRILLE_PILOT_TOKEN",
                "exec /opt/jdk/bin/java -Xmx256m -jar /scratch/gw/escadrille-pilot-0123.jar --server https://gw.example.org"
                        + " --slots 3 --work-dir /scratch/gw/pilots/p-42/work --idle-timeout 300");
    }

    private static SlurmSettings settings(Map<String, String> values) {
        var all = new java.util.HashMap<>(values);
        all.put("work-dir", "/scratch/gw");
        return SlurmSettings.of(SlurmSettingsTest.site(all));
    }
}
