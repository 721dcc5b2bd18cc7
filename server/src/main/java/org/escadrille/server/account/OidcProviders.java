package org.escadrille.server.account;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.escadrille.server.EscadrilleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.stereotype.Component;

/**
 * The OpenID providers of the settings ({@code escadrille.oidc.providers}) as Spring Security's client
 * registrations. Each provider's endpoints come from its discovery document, read at the first sign-in
 * through it and kept: a provider that cannot be reached makes that sign-in fail with a page that says
 * so, not the server fail to start (an institution's outage must not take the gateway down with it).
 */
@Component
public class OidcProviders {
    private static final Logger log = LoggerFactory.getLogger(OidcProviders.class);

    private final Map<String, EscadrilleProperties.OidcProvider> settings;
    private final Map<String, ClientRegistration> discovered = new ConcurrentHashMap<>();

    OidcProviders(EscadrilleProperties properties) {
        this.settings = properties.oidc().providers();
    }

    /** A provider as the login page offers it: "Sign in with {@code displayName}" at {@code /oauth2/authorization/{id}}. */
    public record Button(String id, String displayName) {
    }

    /** Whether any provider is configured (otherwise the portal has no OAuth2 endpoint at all). */
    public boolean any() {
        return !settings.isEmpty();
    }

    /** The providers by display name. */
    public List<Button> buttons() {
        return settings.entrySet().stream()
                .map(e -> new Button(e.getKey(), e.getValue().displayName().isEmpty() ? e.getKey() : e.getValue().displayName()))
                .sorted(Comparator.comparing(Button::displayName, String.CASE_INSENSITIVE_ORDER).thenComparing(Button::id))
                .toList();
    }

    boolean isConfigured(String id) {
        return id != null && settings.containsKey(id);
    }

    /**
     * The registration of a configured provider, discovering its endpoints the first time; empty when its
     * discovery document cannot be read now (it is tried again at the next sign-in).
     */
    Optional<ClientRegistration> registration(String id) {
        var provider = id == null ? null : settings.get(id);
        if (provider == null) {
            return Optional.empty();
        }
        var known = discovered.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            var registration = ClientRegistrations.fromIssuerLocation(provider.issuerUri())
                    .registrationId(id)
                    .clientId(provider.clientId())
                    .clientSecret(provider.clientSecret())
                    .scope(provider.scopes())
                    .clientName(provider.displayName().isEmpty() ? id : provider.displayName())
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .build();
            log.info("OpenID provider {} discovered at {}", id, provider.issuerUri());
            return Optional.of(discovered.computeIfAbsent(id, k -> registration));
        } catch (RuntimeException e) {
            log.warn("OpenID provider {}: cannot read its discovery document at {}: {}", id, provider.issuerUri(), e.toString());
            return Optional.empty();
        }
    }

    /** Spring Security's view: null for an unknown provider or one that cannot be reached now. */
    ClientRegistrationRepository repository() {
        return id -> registration(id).orElse(null);
    }
}
