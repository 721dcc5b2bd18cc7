package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.escadrille.server.backend.SiteConfig;
import org.junit.jupiter.api.Test;

/** A SLURM site's settings are refused, naming the setting, before anything reaches the cluster. */
class SlurmSettingsTest {

    @Test
    void aSiteNeedsOnlyItsWorkDirectory() {
        SlurmSettings settings = SlurmSettings.of(site(Map.of("work-dir", "/scratch/gw/")));

        assertThat(settings.workDir()).isEqualTo("/scratch/gw");
        assertThat(settings.java()).isEqualTo("java");
        assertThat(settings.partition()).isEmpty();
        assertThat(settings.ssh()).isEmpty();
    }

    @Test
    void everySettingIsRead() {
        var values = new HashMap<>(Map.of("work-dir", "/scratch/gw", "partition", "short", "account", "vip", "qos", "normal",
                "time-limit", "2h", "cpus-per-pilot", "4", "memory-mb", "8000", "pilot-jar", "/shared/escadrille-pilot.jar",
                "java", "/opt/jdk/bin/java", "java-options", "-Xmx512m -XX:+UseSerialGC"));
        values.putAll(Map.of("extra", "--constraint=intel --exclusive", "ssh-host", "login.example.org", "ssh-port", "2222",
                "ssh-user", "gateway", "ssh-key", "/etc/escadrille/id_ecdsa",
                "ssh-host-fingerprint", "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"));

        SlurmSettings settings = SlurmSettings.of(site(values));

        assertThat(settings.timeLimit()).contains(Duration.ofHours(2));
        assertThat(settings.cpusPerPilot()).hasValue(4);
        assertThat(settings.javaOptions()).containsExactly("-Xmx512m", "-XX:+UseSerialGC");
        assertThat(settings.extra()).containsExactly("--constraint=intel", "--exclusive");
        assertThat(settings.ssh()).hasValueSatisfying(ssh -> assertThat(ssh.where()).isEqualTo("gateway@login.example.org:2222"));
    }

    @Test
    void everySettingIsDocumented() {
        assertThat(SlurmSettings.DESCRIPTIONS).containsKeys("partition", "account", "qos", "time-limit", "cpus-per-pilot",
                "memory-mb", "work-dir", "pilot-jar", "java", "extra", "ssh-host", "ssh-port", "ssh-user", "ssh-key",
                "ssh-known-hosts");
        assertThat(SlurmSettings.DESCRIPTIONS.get("ssh-key")).startsWith("secret");
    }

    @Test
    void everySettingIsExplainedInTheAdministratorsPage() throws IOException {
        String page = Files.readString(Path.of(System.getProperty("escadrille.repo.root", ".."), "docs", "sites-slurm.md"));

        assertThat(new SlurmKind().settings().keySet())
                .allSatisfy(name -> assertThat(page).as("docs/sites-slurm.md").contains("| `" + name + "` |"));
    }

    @Test
    void badValuesAreRefusedByName() {
        assertRefused(Map.of(), "'work-dir' is required");
        assertRefused(Map.of("work-dir", "scratch/gw"), "'work-dir' must be an absolute path");
        assertRefused(Map.of("work-dir", "/scratch/%j"), "'work-dir'");
        assertRefused(Map.of("work-dir", "/s", "partiton", "debug"), "unknown setting(s) [partiton]");
        assertRefused(Map.of("work-dir", "/s", "partition", "debug; rm -rf ~"), "'partition' must be a SLURM name");
        assertRefused(Map.of("work-dir", "/s", "time-limit", "30s"), "'time-limit' must be at least one minute");
        assertRefused(Map.of("work-dir", "/s", "time-limit", "soon"), "'time-limit' must be a duration");
        assertRefused(Map.of("work-dir", "/s", "cpus-per-pilot", "0"), "'cpus-per-pilot' must be a whole number");
        assertRefused(Map.of("work-dir", "/s", "java", "java -jar x"), "'java'");
        assertRefused(Map.of("work-dir", "/s", "java-options", "-Xmx1g $(id)"), "'java-options'");
    }

    @Test
    void extraTakesOnlyOptionsAndNotThoseTheBackendSets() {
        assertRefused(Map.of("work-dir", "/s", "extra", "--wrap=id"), "may not set --wrap");
        assertRefused(Map.of("work-dir", "/s", "extra", "--output=/tmp/x"), "may not set --output");
        assertRefused(Map.of("work-dir", "/s", "extra", "--partition=x"), "(use its own setting)");
        assertRefused(Map.of("work-dir", "/s", "extra", "-p debug"), "must be sbatch options in their long form");
        assertRefused(Map.of("work-dir", "/s", "extra", "--constraint=a;id"), "not '--constraint=a;id'");
        assertRefused(Map.of("work-dir", "/s", "extra", "/tmp/other-script.sh"), "'extra'");
    }

    @Test
    void sshSettingsNeedAHostAndAKey() {
        assertRefused(Map.of("work-dir", "/s", "ssh-user", "gw"), "'ssh-user' is only meaningful with 'ssh-host'");
        assertRefused(Map.of("work-dir", "/s", "ssh-host", "login"), "'ssh-key' is required");
        assertRefused(Map.of("work-dir", "/s", "ssh-host", "login", "ssh-key", "id_ecdsa"), "'ssh-key' must be the absolute path");
        assertRefused(Map.of("work-dir", "/s", "ssh-host", "login -oProxyCommand=x", "ssh-key", "/k"), "'ssh-host'");
        assertRefused(Map.of("work-dir", "/s", "ssh-host", "login", "ssh-key", "/k", "ssh-port", "70000"), "'ssh-port'");
        assertRefused(Map.of("work-dir", "/s", "ssh-host", "login", "ssh-key", "/k", "ssh-host-fingerprint", "MD5:aa"),
                "'ssh-host-fingerprint'");
    }

    private static void assertRefused(Map<String, String> settings, String message) {
        assertThatThrownBy(() -> SlurmSettings.of(site(settings)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("site hpc: ")
                .hasMessageContaining(message);
    }

    static SiteConfig site(Map<String, String> settings) {
        return new SiteConfig("hpc", settings);
    }
}
