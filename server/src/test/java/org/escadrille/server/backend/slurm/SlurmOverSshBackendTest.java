package org.escadrille.server.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.BackendContract;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.backend.SiteConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@link SlurmBackend} submitting over SSH to a "login node": an SSH server (MINA SSHD's) started here on
 * loopback, with key authentication, SFTP, and commands run by {@code /bin/sh -c} as OpenSSH runs them, in
 * front of the real SLURM daemons of this machine. The backend contract, then the SSH failures an
 * administrator meets: an unreachable host, a refused key, a host key that is not the expected one.
 */
@Tag("e2e")
class SlurmOverSshBackendTest extends BackendContract {
    private static final String SITE = "ci-ssh";

    @TempDir
    static Path keys;

    private static LoginNode loginNode;
    private static Path strangerKey;

    private Backend other;
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void startLoginNode() throws IOException, GeneralSecurityException {
        loginNode = LoginNode.start(keys);
        strangerKey = LoginNode.KeyPairs.write(KeyUtils.generateKeyPair(LoginNode.KeyPairs.EC, 256), keys.resolve("stranger_ecdsa"));
    }

    @AfterAll
    static void stopLoginNode() throws IOException {
        if (loginNode != null) {
            loginNode.close();
        }
    }

    @Override
    protected Backend newBackend() {
        SlurmCluster.assumeRunning();
        return new SlurmKind().open(new SiteConfig(SITE, sshSettings(dir.resolve("cluster"), Map.of())));
    }

    @AfterEach
    void closeTheOtherSite() {
        if (other != null) {
            other.active().forEach(other::cancel);
            other.close();
        }
        if (logs != null) {
            logger().detachAppender(logs);
        }
    }

    @Test
    void theCommandsAndTheJarReallyGoThroughTheLoginNode() throws IOException {
        other = site(Map.of());
        int before = loginNode.commands().size();

        other.submit(launch("pilot-over-ssh"));

        assertThat(loginNode.commands().subList(before, loginNode.commands().size()))
                .anyMatch(command -> command.startsWith("sbatch --parsable"))
                .anyMatch(command -> command.startsWith("sha256sum"));
        assertThat(dir.resolve("other/pilots/pilot-over-ssh/pilot.sh")).exists();
        assertThat(other.active()).contains("pilot-over-ssh");
    }

    @Test
    void pathsWithSpacesReachTheLoginNodeWordForWord() throws IOException {
        Path workDir = dir.resolve("work dir, with spaces");
        other = new SlurmKind().open(new SiteConfig("spaced", sshSettings(workDir, Map.of())));

        other.submit(launch("pilot-spaced"));

        assertThat(workDir.resolve("pilots/pilot-spaced/pilot.sh")).exists();
        assertThat(other.active()).contains("pilot-spaced");
        await().atMost(Duration.ofSeconds(60)).until(() -> other.log("pilot-spaced", 4096).isPresent());
    }

    @Test
    void oneConnectionServesEveryCommandAndADroppedOneIsReopened() throws IOException {
        other = site(Map.of());
        int before = loginNode.sessionsOpened();

        other.check();
        assertThat(other.active()).isEmpty();
        assertThat(other.log("pilot-without-output", 100)).isEmpty();
        assertThat(loginNode.sessionsOpened() - before).isEqualTo(1);

        loginNode.server().getActiveSessions().forEach(session -> session.close(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> loginNode.server().getActiveSessions().isEmpty());

        other.check();
        assertThat(loginNode.sessionsOpened() - before).isEqualTo(2);
    }

    @Test
    void anUnreachableHostIsAnErrorThatSaysSo() throws IOException {
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        other = site(Map.of("ssh-port", Integer.toString(closed)));

        assertThatThrownBy(other::check).isInstanceOf(IOException.class)
                .hasMessage("cannot reach the SSH host 127.0.0.1:" + closed + ": connection refused");
        assertThatThrownBy(() -> other.submit(launch("pilot-unreachable")))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot reach the SSH host");
    }

    @Test
    void aRefusedKeyIsAnErrorThatNeitherShowsTheKeyNorItsPath() throws IOException {
        captureLogs();
        other = site(Map.of("ssh-key", strangerKey.toString()));

        assertThatThrownBy(other::check).isInstanceOf(IOException.class)
                .hasMessageContaining("refused the key of the setting 'ssh-key'")
                .hasMessageNotContaining(strangerKey.toString())
                .hasMessageNotContaining(Files.readString(strangerKey).lines().skip(1).findFirst().orElseThrow());
        other.active();
        other.cancel("pilot-anything");
        assertThat(loggedText()).doesNotContain(strangerKey.toString()).doesNotContain("stranger_ecdsa");
    }

    @Test
    void anUnreadableKeyFileIsNamedBySettingNotByPath() {
        other = site(Map.of("ssh-key", keys.resolve("no-such-key").toString()));

        assertThatThrownBy(other::check).isInstanceOf(IOException.class)
                .hasMessageContaining("the private key named by the setting 'ssh-key' cannot be read")
                .hasMessageNotContaining("no-such-key");
    }

    @Test
    void aHostKeyOtherThanThePinnedOneIsRefused() {
        other = site(Map.of("ssh-host-fingerprint", "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"));

        assertThatThrownBy(other::check).isInstanceOf(IOException.class)
                .hasMessageContaining("is not trusted: its host key is " + loginNode.fingerprint());
    }

    @Test
    void aHostKeyIsTrustedWhenItIsInTheKnownHostsFile() throws IOException, GeneralSecurityException {
        Path knownHosts = keys.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + loginNode.port() + " " + PublicKeyEntry.toString(
                loginNode.hostKey()) + "\n");
        var settings = new HashMap<>(Map.of("ssh-known-hosts", knownHosts.toString()));
        other = siteWithoutFingerprint(settings);

        other.check();

        Files.writeString(knownHosts, "[127.0.0.1]:1 " + PublicKeyEntry.toString(
                LoginNode.KeyPairs.publicKeyOf(strangerKey)) + "\n");
        Backend unknownHost = siteWithoutFingerprint(settings);
        assertThatThrownBy(unknownHost::check).isInstanceOf(IOException.class)
                .hasMessageContaining("is not in the known_hosts file of the setting 'ssh-known-hosts'");
        unknownHost.close();
    }

    @Test
    void theTokenAppearsInNoLogAndNoCommand() throws IOException {
        captureLogs();
        other = site(Map.of());
        PilotLaunch launch = launch("pilot-secret");

        other.submit(launch);
        other.active();
        other.cancel("pilot-secret");

        assertThat(loginNode.commands()).noneMatch(command -> command.contains(launch.token()));
        assertThat(loggedText()).contains("pilot-secret").doesNotContain(launch.token()).doesNotContain(loginNode.userKey().toString());
    }

    private Backend site(Map<String, String> extra) {
        return new SlurmKind().open(new SiteConfig("other", sshSettings(dir.resolve("other"), extra)));
    }

    private Backend siteWithoutFingerprint(Map<String, String> extra) {
        var settings = new HashMap<>(sshSettings(dir.resolve("other"), extra));
        settings.remove("ssh-host-fingerprint");
        return new SlurmKind().open(new SiteConfig("other", settings));
    }

    private static Map<String, String> sshSettings(Path workDir, Map<String, String> extra) {
        return loginNode.siteSettings(workDir, extra);
    }

    private PilotLaunch launch(String pilotId) throws IOException {
        Path jar = dir.resolve("bundled-pilot.jar");
        return new PilotLaunch(pilotId, "registration-token-" + pilotId + "-do-not-leak", "http://127.0.0.1:9",
                Files.exists(jar) ? jar : SlurmCluster.pilotJar(dir), 1, null, null, List.of("--orphan-timeout", "60"));
    }

    private void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        logger().addAppender(logs);
    }

    private String loggedText() {
        var text = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            text.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                text.append(event.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
