package org.escadrille.server.backend.slurm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A "login node" for the SLURM tests: MINA SSHD's server on loopback, in front of this machine's real
 * SLURM daemons, with key authentication for one user key, SFTP, and commands run by {@code /bin/sh -c}
 * as OpenSSH runs them. It records the commands it ran and counts the sessions opened.
 */
final class LoginNode implements AutoCloseable {
    private final SshServer server;
    private final Path userKey;
    private final String fingerprint;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();

    private LoginNode(Path keys) throws IOException, GeneralSecurityException {
        KeyPair user = KeyUtils.generateKeyPair(KeyPairs.EC, 256);
        userKey = KeyPairs.write(user, keys.resolve("id_ecdsa"));
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(keys.resolve("host_key")));
        server.setPublickeyAuthenticator((username, key, session) -> KeyUtils.compareKeys(key, user.getPublic()));
        // As OpenSSH does: the command line goes to the user's shell (ProcessShellCommandFactory would split it itself).
        server.setCommandFactory((channel, command) -> {
            commands.add(command);
            return new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel);
        });
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        server.start();
        fingerprint = KeyUtils.getFingerPrint(hostKey());
    }

    /** Starts one, its keys (the user's, the host's) in {@code keys}. */
    static LoginNode start(Path keys) throws IOException, GeneralSecurityException {
        return new LoginNode(keys);
    }

    SshServer server() {
        return server;
    }

    int port() {
        return server.getPort();
    }

    Path userKey() {
        return userKey;
    }

    String fingerprint() {
        return fingerprint;
    }

    PublicKey hostKey() throws IOException, GeneralSecurityException {
        return server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
    }

    /** The command lines run so far, in order. */
    List<String> commands() {
        return commands;
    }

    int sessionsOpened() {
        return sessions.get();
    }

    /** A SLURM site's settings that submit through this node, its files under {@code workDir}. */
    Map<String, String> siteSettings(Path workDir, Map<String, String> extra) {
        var settings = new HashMap<>(SlurmCluster.settings(workDir));
        settings.put("ssh-host", "127.0.0.1");
        settings.put("ssh-port", Integer.toString(port()));
        settings.put("ssh-user", System.getProperty("user.name"));
        settings.put("ssh-key", userKey.toString());
        settings.put("ssh-host-fingerprint", fingerprint);
        settings.putAll(extra);
        return settings;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Key pairs written as OpenSSH private key files, as an administrator's ssh-keygen would. */
    static final class KeyPairs {
        static final String EC = KeyPairProvider.ECDSA_SHA2_NISTP256;

        private KeyPairs() {
        }

        static Path write(KeyPair pair, Path file) throws IOException, GeneralSecurityException {
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "escadrille-test", null, out);
            }
            return file;
        }

        static PublicKey publicKeyOf(Path file) throws IOException, GeneralSecurityException {
            return new FileKeyPairProvider(file).loadKeys(null).iterator().next().getPublic();
        }
    }
}
