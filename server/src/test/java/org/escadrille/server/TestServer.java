package org.escadrille.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real server for a test: the whole application on a random port, its own data directory, and
 * (unless disabled) real local pilots as child processes. Leases are short so that fault tests are quick.
 */
public final class TestServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final String url;

    private TestServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
        this.url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** Settings a test may change before starting a server. */
    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<Class<?>> beans = new ArrayList<>();
        private Path dataDir;

        private Builder() {
            properties.put("server.port", "0");
            properties.put("escadrille.scheduling.lease", "3s");
            properties.put("escadrille.scheduling.heartbeat", "500ms");
            properties.put("escadrille.scheduling.long-poll", "2s");
            properties.put("escadrille.local.slots", "2");
            // Tests are one person's: they run where bubblewrap is missing too (its pilots then have no
            // sandbox); SandboxEndToEndTest sets it false to test the policy.
            properties.put("escadrille.security.single-user", "true");
            properties.put("logging.level.org.escadrille", "INFO");
            // Many tests launch the same task twice and expect it to run twice; the task cache's own
            // tests (TaskCacheEndToEndTest) turn it on, as it is by default outside tests.
            properties.put("escadrille.task-cache.enabled", "false");
        }

        public Builder pilots(boolean enabled) {
            properties.put("escadrille.local.enabled", Boolean.toString(enabled));
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /**
         * Adds the beans of a class of {@code @Bean} methods (not annotated {@code @Configuration}, so that
         * no other test's server scans it), marked {@code @Primary} where they replace one of the server's.
         */
        public Builder with(Class<?> beanMethods) {
            beans.add(beanMethods);
            return this;
        }

        /** Runs against a database other than the default H2 file (see {@link TestDatabases}). */
        public Builder database(TestDatabases.Database database) {
            properties.put("spring.datasource.url", database.url());
            properties.put("spring.datasource.username", database.username());
            properties.put("spring.datasource.password", database.password());
            return this;
        }

        public TestServer start() {
            try {
                Path dir = dataDir != null ? dataDir : Files.createTempDirectory("escadrille-test-");
                properties.put("escadrille.data-dir", dir.toString());
                List<String> args = new ArrayList<>();
                properties.forEach((k, v) -> args.add("--" + k + "=" + v));
                var context = new SpringApplicationBuilder(EscadrilleServer.class).sources(beans.toArray(Class<?>[]::new)).run(args.toArray(String[]::new));
                return new TestServer(context, dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String url() {
        return url;
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Every bean of a type (the route table is spread over several handler mappings). */
    public <T> Collection<T> beans(Class<T> type) {
        return context.getBeansOfType(type).values();
    }

    /** The first admin's API key, as the server left it in the data directory. */
    public String adminKey() {
        try {
            return Files.readString(dataDir.resolve("admin.key")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiClient admin() {
        return new ApiClient(url, adminKey());
    }

    /** Creates a user and returns a client holding a fresh API key of theirs. */
    public ApiClient newUser(String username) {
        var accounts = bean(AccountService.class);
        var account = accounts.createUser(username, "password-" + username, Account.Role.USER);
        return new ApiClient(url, accounts.newApiKey(account, "test"));
    }

    @Override
    public void close() {
        context.close();
    }
}
