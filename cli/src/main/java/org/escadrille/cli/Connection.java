package org.escadrille.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import org.escadrille.cli.api.GatewayClient;
import org.escadrille.cli.api.GatewayJson;
import org.escadrille.cli.api.UnreachableException;
import org.escadrille.cli.terminal.PathDisplay;

/**
 * A client bound to a gateway for the length of one command: the one at the URL, or one started in
 * this process ({@code --embedded}, or when nothing listens at the default URL), closed at the end.
 */
public final class Connection implements AutoCloseable {
    private final GatewayClient client;
    private final AutoCloseable lifetime;
    private final PrintWriter err;

    private Connection(GatewayClient client, AutoCloseable lifetime, PrintWriter err) {
        this.client = client;
        this.lifetime = lifetime;
        this.err = err;
    }

    public static Connection open(GlobalOptions options, CliEnvironment env, PrintWriter err) {
        ConnectionSettings settings = ConnectionSettings.resolve(options, env);
        if (settings.embedded()) {
            return embedded(settings, env, err);
        }
        GatewayClient remote = client(settings.url(), settings.keyOrAdminKey());
        if (!settings.urlExplicit() && remote.refusesConnections()) {
            err.println("no server at " + settings.url() + "; using the data in "
                    + PathDisplay.fromHome(settings.dataDir(), env.home()) + " directly");
            err.flush();
            return embedded(settings, env, err);
        }
        return new Connection(remote, () -> { }, err);
    }

    public GatewayClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            lifetime.close();
        } catch (Exception e) {
            err.println("warning: the embedded server did not stop cleanly: " + e.getMessage());
        }
    }

    private static Connection embedded(ConnectionSettings settings, CliEnvironment env, PrintWriter err) {
        Path dataDir = settings.dataDir();
        Endpoint endpoint;
        try {
            endpoint = env.embeddedStarter().apply(dataDir);
        } catch (RuntimeException e) {
            throw UnreachableException.embeddedFailed(dataDir, e);
        }
        String key = settings.apiKey() != null ? settings.apiKey() : endpoint.apiKey();
        return new Connection(client(endpoint.url(), key), endpoint.lifetime(), err);
    }

    private static GatewayClient client(URI url, String apiKey) {
        return new GatewayClient(GatewayClient.defaultHttpClient(), url, apiKey, GatewayJson.mapper());
    }
}
