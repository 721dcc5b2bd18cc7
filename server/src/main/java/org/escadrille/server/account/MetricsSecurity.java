package org.escadrille.server.account;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The actuator's endpoints other than health ({@code /actuator/prometheus} names users in its labels):
 * for an admin's API key ({@code apikey} header) or, for Prometheus, the scrape token of
 * {@code escadrille.metrics.scrape-token} ({@code Authorization: Bearer <token>}). Stateless.
 */
@Configuration
class MetricsSecurity {
    static final String SCRAPER = "METRICS_SCRAPER";

    @Bean
    @Order(3)
    SecurityFilterChain metricsChain(HttpSecurity http, AccountService accounts, EscadrilleProperties properties,
                                     SignInHandlers signIns) throws Exception {
        byte[] scrapeToken = properties.metrics().scrapeToken().getBytes(StandardCharsets.UTF_8);
        AuthenticationManager manager = unchecked -> check(unchecked, accounts, scrapeToken);
        var filter = new AuthenticationFilter(manager, MetricsSecurity::credentials);
        filter.setSuccessHandler((request, response, authentication) -> { });
        filter.setFailureHandler((request, response, exception) -> {
            signIns.apiKeyFailed(request);
            ProblemResponses.write(response, 401, "Unauthorized", exception.getMessage());
        });
        return http.securityMatcher(MetricsSecurity::isGuardedActuator)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .addFilterAt(filter, BasicAuthenticationFilter.class)
                .addFilterBefore(signIns.apiKeyThrottle(), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAnyAuthority(SCRAPER, Account.Role.ADMIN.authority()))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, exception) -> ProblemResponses.write(response, 401,
                                "Unauthorized", "metrics are for admins (an admin's key in the 'apikey' header) or Prometheus "
                                        + "(Authorization: Bearer <escadrille.metrics.scrape-token>)"))
                        .accessDeniedHandler((request, response, exception) -> ProblemResponses.write(response, 403,
                                "Forbidden", "metrics are for admins only")))
                .build();
    }

    private static boolean isGuardedActuator(HttpServletRequest request) {
        String path = request.getServletPath();
        return (path.equals("/actuator") || path.startsWith("/actuator/"))
                && !(path.equals("/actuator/health") || path.startsWith("/actuator/health/"));
    }

    /** The credentials as sent, unchecked: the scrape token, or an API key. */
    private static Authentication credentials(HttpServletRequest request) {
        String key = request.getHeader("apikey");
        if (key != null) {
            return ApiKeyAuthentication.unchecked(key);
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return UsernamePasswordAuthenticationToken.unauthenticated("prometheus", header.substring(7).strip());
        }
        return null;
    }

    private static Authentication check(Authentication unchecked, AccountService accounts, byte[] scrapeToken) {
        if (unchecked instanceof ApiKeyAuthentication) {
            return accounts.authenticateApiKey((String) unchecked.getCredentials())
                    .map(account -> (Authentication) ApiKeyAuthentication.of(account))
                    .orElseThrow(() -> new BadCredentialsException("this API key is unknown, revoked or expired, or its user is disabled"));
        }
        byte[] sent = String.valueOf(unchecked.getCredentials()).getBytes(StandardCharsets.UTF_8);
        if (scrapeToken.length == 0 || !MessageDigest.isEqual(sent, scrapeToken)) {
            throw new BadCredentialsException("this is not the scrape token (escadrille.metrics.scrape-token)");
        }
        return UsernamePasswordAuthenticationToken.authenticated("prometheus", null, List.of(new SimpleGrantedAuthority(SCRAPER)));
    }
}
