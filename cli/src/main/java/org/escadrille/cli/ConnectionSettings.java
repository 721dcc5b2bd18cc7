package org.escadrille.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where to connect and with which key, from the options, then the environment, then the defaults.
 *
 * @param urlExplicit whether the person named the URL (an option or ESCADRILLE_URL): only the default
 *                    URL falls back to the embedded mode when nothing listens there
 * @param apiKey      the key given by option or environment, or null to use {@link #adminKey()}
 */
public record ConnectionSettings(URI url, boolean urlExplicit, String apiKey, Path dataDir, boolean embedded) {
    static final String ADMIN_KEY_FILE = "admin.key";

    public static ConnectionSettings resolve(GlobalOptions options, CliEnvironment env) {
        String urlText = options.url() != null ? options.url() : env.variable("ESCADRILLE_URL");
        URI url = urlText == null ? env.defaultUrl() : parseUrl(urlText, options.url() != null);
        String apiKey = options.apiKey() != null ? options.apiKey() : env.variable("ESCADRILLE_API_KEY");
        Path dataDir;
        if (options.dataDir() != null) {
            dataDir = env.resolve(options.dataDir());
        } else if (env.variable("ESCADRILLE_DATA_DIR") != null) {
            dataDir = env.resolve(Path.of(env.variable("ESCADRILLE_DATA_DIR")));
        } else {
            dataDir = env.home().resolve(".escadrille");
        }
        return new ConnectionSettings(url, urlText != null, apiKey, dataDir, options.embedded());
    }

    /** The key given explicitly, else the first admin's key that the server wrote in the data directory, else null. */
    public String keyOrAdminKey() {
        return apiKey != null ? apiKey : adminKey();
    }

    String adminKey() {
        Path file = dataDir.resolve(ADMIN_KEY_FILE);
        try {
            if (Files.isReadable(file)) {
                String key = Files.readString(file).strip();
                return key.isEmpty() ? null : key;
            }
        } catch (IOException e) {
            // Unreadable: act as if there were no key; the server's 401 then says what to do.
        }
        return null;
    }

    private static URI parseUrl(String text, boolean fromOption) {
        String source = fromOption ? "--url" : "ESCADRILLE_URL";
        try {
            URI url = new URI(text);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new UsageException(source + " " + text + " is not an http(s) URL; write e.g. http://localhost:8080");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new UsageException(source + " " + text + " is not a URL (" + e.getReason()
                    + "); write e.g. http://localhost:8080");
        }
    }
}
