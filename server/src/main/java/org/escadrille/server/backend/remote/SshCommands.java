package org.escadrille.server.backend.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Commands run on a login node over SSH (Apache MINA SSHD's client), with key authentication, and files moved
 * by SFTP. One connection, opened on first use and reopened when it has dropped. The server's host key must be
 * the one pinned by fingerprint, or else be in a known_hosts file: a host never seen is refused, never trusted
 * on first use. Messages name the host and what went wrong, never the key or its file.
 */
public final class SshCommands implements Commands {
    private static final Duration CONNECT = Duration.ofSeconds(15);

    /**
     * Where and as whom.
     *
     * @param knownHosts  an OpenSSH known_hosts file, used when {@code fingerprint} is null
     * @param fingerprint the host key's SHA-256 fingerprint as {@code ssh-keygen -lf} prints it
     *                    ({@code SHA256:…}), or null
     */
    public record Target(String host, int port, String user, Path key, Path knownHosts, String fingerprint) {
        public String where() {
            return user + "@" + host + ":" + port;
        }
    }

    private final Target target;
    private SshClient client;
    private ClientSession session;
    /** Why the last connection's host key was refused, set by MINA's I/O thread. */
    private volatile String hostKeyProblem;

    public SshCommands(Target target) {
        this.target = target;
    }

    @Override
    public String where() {
        return target.where();
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) throws IOException {
        String line = ShellQuoting.line(command);
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        try (ChannelExec channel = openExec(line, stdout, stderr, timeout)) {
            var events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new IOException(command.getFirst() + " did not answer within " + timeout.toSeconds() + " s on " + where());
            }
            Integer status = channel.getExitStatus();
            return new CommandResult(status == null ? -1 : status, stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * An exec channel that the server has accepted, on a fresh connection if the one we had has dropped since
     * its last use. A command whose channel never opened never ran, so opening it again cannot run it twice.
     */
    private ChannelExec openExec(String line, OutputStream stdout, OutputStream stderr, Duration timeout) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ClientSession current = session();
            ChannelExec channel = null;
            try {
                channel = current.createExecChannel(line);
                channel.setOut(stdout);
                channel.setErr(stderr);
                channel.open().verify(timeout);
                return channel;
            } catch (IOException e) {
                if (channel != null) {
                    channel.close(true);
                }
                if (attempt > 1 || current.isOpen()) {
                    throw new IOException("SSH to " + where() + " failed: " + reason(e));
                }
                dropSession();
            }
        }
    }

    @Override
    public void write(String path, byte[] content, int mode) throws IOException {
        try (SftpClient sftp = sftp();
             var handle = sftp.open(path, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate)) {
            // The permissions go on before the content, so that it is never readable by others.
            sftp.setStat(handle, new SftpClient.Attributes().perms(mode));
            sftp.write(handle, 0, content, 0, content.length);
        } catch (SftpException e) {
            throw new IOException("cannot write " + path + " on " + where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void copy(Path local, String path) throws IOException {
        String partial = path + ".part";
        try (SftpClient sftp = sftp(); OutputStream out = sftp.write(partial)) {
            Files.copy(local, out);
        } catch (SftpException e) {
            throw new IOException("cannot copy to " + partial + " on " + where() + ": " + e.getMessage(), e);
        }
        // SFTP version 3 (OpenSSH's) cannot rename over an existing file; mv can.
        CommandResult moved = run(List.of("mv", "-f", partial, path), CONNECT);
        if (!moved.succeeded()) {
            throw new IOException("cannot move " + partial + " to " + path + " on " + where() + ": " + moved.message());
        }
    }

    @Override
    public Optional<String> tail(String path, int maxBytes) throws IOException {
        try (SftpClient sftp = sftp(); var handle = sftp.open(path, SftpClient.OpenMode.Read)) {
            long size = sftp.stat(handle).getSize();
            long offset = Math.max(0, size - maxBytes);
            byte[] buffer = new byte[(int) Math.min(size, maxBytes)];
            int filled = 0;
            while (filled < buffer.length) {
                int n = sftp.read(handle, offset + filled, buffer, filled, buffer.length - filled);
                if (n <= 0) {
                    break;
                }
                filled += n;
            }
            return Optional.of(new String(buffer, 0, filled, StandardCharsets.UTF_8));
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw new IOException("cannot read " + path + " on " + where() + ": " + e.getMessage(), e);
        }
    }

    private SftpClient sftp() throws IOException {
        ClientSession current = session();
        try {
            return SftpClientFactory.instance().createSftpClient(current);
        } catch (IOException e) {
            if (current.isOpen()) {
                throw new IOException("SFTP to " + where() + " failed: " + reason(e));
            }
            dropSession();
            return SftpClientFactory.instance().createSftpClient(session());
        }
    }

    private synchronized ClientSession session() throws IOException {
        if (session != null && session.isOpen() && session.isAuthenticated()) {
            return session;
        }
        dropSession();
        List<KeyPair> keys = keys();
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            // Only what the site's settings say: no ~/.ssh/config, no default identities, no agent.
            client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            client.setServerKeyVerifier(this::verifyHostKey);
            client.start();
        }
        hostKeyProblem = null;
        ClientSession opened;
        try {
            opened = client.connect(target.user(), target.host(), target.port()).verify(CONNECT).getSession();
        } catch (IOException e) {
            throw new IOException("cannot reach the SSH host " + target.host() + ":" + target.port() + ": " + reason(e));
        }
        keys.forEach(opened::addPublicKeyIdentity);
        try {
            opened.auth().verify(CONNECT);
        } catch (IOException e) {
            opened.close(true);
            if (hostKeyProblem != null) {
                throw new IOException("the SSH host " + target.host() + ":" + target.port() + " is not trusted: " + hostKeyProblem);
            }
            if (!opened.isOpen() && reason(e).contains("timeout")) {
                throw new IOException("the SSH host " + target.host() + ":" + target.port() + " did not answer: " + reason(e));
            }
            throw new IOException("the SSH host " + target.host() + ":" + target.port() + " refused the key of the setting"
                    + " 'ssh-key' for the user " + target.user());
        }
        session = opened;
        return session;
    }

    private List<KeyPair> keys() throws IOException {
        var keys = new ArrayList<KeyPair>();
        try {
            if (!Files.isReadable(target.key())) {
                throw new IOException();
            }
            new FileKeyPairProvider(target.key()).loadKeys(null).forEach(keys::add);
        } catch (IOException | RuntimeException e) {
            // Neither the key nor its path goes into a message (nor its cause, which may quote either).
            throw new IOException("the private key named by the setting 'ssh-key' cannot be read by the server"
                    + " (an OpenSSH or PEM key without a passphrase is needed)");
        }
        if (keys.isEmpty()) {
            throw new IOException("the file named by the setting 'ssh-key' holds no private key");
        }
        return keys;
    }

    private boolean verifyHostKey(ClientSession clientSession, SocketAddress address, PublicKey key) {
        String fingerprint = KeyUtils.getFingerPrint(key);
        if (target.fingerprint() != null) {
            if (target.fingerprint().equals(fingerprint)) {
                return true;
            }
            hostKeyProblem = "its host key is " + fingerprint + ", not the " + target.fingerprint() + " of the setting 'ssh-host-fingerprint'";
            return false;
        }
        if (target.knownHosts() == null || !Files.isReadable(target.knownHosts())) {
            hostKeyProblem = "no readable known_hosts file (setting 'ssh-known-hosts') and no 'ssh-host-fingerprint'";
            return false;
        }
        ServerKeyVerifier knownHosts = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, target.knownHosts());
        if (knownHosts.verifyServerKey(clientSession, address, key)) {
            return true;
        }
        hostKeyProblem = "its host key " + fingerprint + " is not in the known_hosts file of the setting 'ssh-known-hosts'";
        return false;
    }

    private static String reason(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private synchronized void dropSession() {
        if (session != null) {
            session.close(true);
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        dropSession();
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
