package org.escadrille.server.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID provider for tests: Spring Authorization Server (Spring Boot's auto-configuration: its
 * endpoints with OpenID Connect, discovery, a signing key, a form login) on a random port, with people who
 * sign in by form with the password {@code password-<name>} and clients registered once the gateway's URL is
 * known. It runs in the test's JVM in a Spring context of its own (its own web server, settings and
 * security chains): the gateway's context has six chains of its own and could not host it, and two contexts
 * share nothing but the classpath. Its URL is on {@code localhost} while the gateway is on
 * {@code 127.0.0.1}, so that the browser keeps the two sessions' cookies apart (cookies ignore ports).
 * The client {@code stale} gets ID tokens that expired an hour ago.
 */
final class OpenIdProvider implements AutoCloseable {
    /** People: name → e-mail address (verified). */
    static final Map<String, String> PEOPLE = Map.of(
            "alice", "alice@uni.example",
            "bob", "bob@trusted.example",
            "carol", "carol@elsewhere.example",
            "dora", "dora@uni.example",
            "erin", "erin@uni.example",
            "frank", "frank@uni.example");
    static final String STALE = "stale";

    private final ConfigurableApplicationContext context;
    private final String url;

    private OpenIdProvider(ConfigurableApplicationContext context) {
        this.context = context;
        this.url = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    static OpenIdProvider start() {
        var context = new SpringApplicationBuilder(ProviderApplication.class)
                .web(WebApplicationType.SERVLET)
                .run("--server.port=0",
                        // none of the gateway's application.properties
                        "--spring.config.name=openid-provider",
                        "--spring.main.banner-mode=off",
                        "--spring.flyway.enabled=false",
                        "--spring.threads.virtual.enabled=true",
                        "--management.endpoints.access.default=none",
                        "--logging.level.root=WARN");
        return new OpenIdProvider(context);
    }

    /** The issuer: what discovery answers and what ID tokens say. */
    String url() {
        return url;
    }

    /** Registers a confidential client (secret {@code secret-<id>}) that sends people back to the gateway's callback. */
    void registerClient(String id, String gatewayUrl) {
        context.getBean(RegisteredClientRepository.class).save(RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(id)
                .clientSecret("{noop}secret-" + id)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(gatewayUrl + "/login/oauth2/code/" + id)
                .scope(OidcScopes.OPENID).scope(OidcScopes.PROFILE).scope(OidcScopes.EMAIL)
                .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
                .build());
    }

    @Override
    public void close() {
        context.close();
    }

    /** Not a {@code @Configuration}: the gateway's component scan would take its beans too. */
    @EnableAutoConfiguration
    static class ProviderApplication {

        @Bean
        UserDetailsService people() {
            return new InMemoryUserDetailsManager(PEOPLE.keySet().stream()
                    .map(name -> User.withUsername(name).password("{noop}password-" + name).roles("USER").build())
                    .toList());
        }

        /** Starts with one client nobody uses (the repository needs one); the tests add theirs. */
        @Bean
        RegisteredClientRepository clients() {
            return new InMemoryRegisteredClientRepository(RegisteredClient.withId("placeholder").clientId("placeholder")
                    .clientSecret("{noop}" + UUID.randomUUID())
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build());
        }

        /** What a real provider says in an ID token: the address (verified) and a preferred username. */
        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> idTokenClaims() {
            return context -> {
                if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                    return;
                }
                String name = context.getPrincipal().getName();
                context.getClaims().claim("email", PEOPLE.getOrDefault(name, name + "@unknown.example"))
                        .claim("email_verified", true)
                        .claim("preferred_username", name);
                if (STALE.equals(context.getRegisteredClient().getClientId())) {
                    // well past the relying party's allowed clock skew (60 s by default)
                    Instant expired = Instant.now().minus(Duration.ofHours(1));
                    context.getClaims().issuedAt(expired.minus(Duration.ofMinutes(5))).expiresAt(expired);
                }
            };
        }
    }
}
