package org.escadrille.server.account;

import java.util.Optional;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call what. Three chains: pilots ({@code /api/pilot/**}, a bearer token minted for each
 * pilot), the APIs ({@code /api/**}, the {@code apikey} header, stateless), and the rest (health and
 * metrics open; the portal's pages). Failures are problem documents, never a login page or a trace.
 */
@Configuration
public class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Requests the firewall refuses (encoded dots, odd characters) get a problem document too. */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler() {
        return (request, response, exception) -> ProblemResponses.write(response, 400, "Invalid request",
                "the request path is not allowed (" + exception.getMessage() + "); paths must not contain encoded "
                        + "dots, slashes or '..'");
    }

    @Bean
    @Order(1)
    SecurityFilterChain pilotChain(HttpSecurity http, PilotTokenVerifier verifier) throws Exception {
        var filter = tokenFilter(
                request -> bearer(request.getHeader("Authorization")).map(PilotAuthentication::unchecked).orElse(null),
                authentication -> verifier.verify((String) authentication.getCredentials())
                        .map(pilotId -> (Authentication) PilotAuthentication.of(pilotId))
                        .orElseThrow(() -> new BadCredentialsException("unknown or expired pilot token")));
        return http.securityMatcher("/api/pilot/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(filter, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(PilotAuthentication.AUTHORITY))
                .exceptionHandling(e -> e.authenticationEntryPoint(problem("a pilot needs its token: Authorization: Bearer <token>")))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, AccountService accounts) throws Exception {
        var filter = tokenFilter(
                request -> Optional.ofNullable(request.getHeader("apikey")).map(ApiKeyAuthentication::unchecked).orElse(null),
                authentication -> accounts.authenticateApiKey((String) authentication.getCredentials())
                        .map(account -> (Authentication) ApiKeyAuthentication.of(account))
                        .orElseThrow(() -> new BadCredentialsException("this API key is unknown or revoked")));
        return http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(filter, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/health").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(
                        problem("send your API key in the 'apikey' header (see escadrille serve's output or <data-dir>/admin.key)")))
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/", "/favicon.ico")
                .csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .build();
    }

    private static AuthenticationFilter tokenFilter(
            org.springframework.security.web.authentication.AuthenticationConverter converter,
            Function<Authentication, Authentication> check) {
        AuthenticationManager manager = check::apply;
        var filter = new AuthenticationFilter(manager, converter);
        // On success the request goes on down the chain; there is nothing to redirect to.
        filter.setSuccessHandler((request, response, authentication) -> { });
        filter.setFailureHandler((request, response, exception) ->
                ProblemResponses.write(response, 401, "Unauthorized", exception.getMessage()));
        return filter;
    }

    private static AuthenticationEntryPoint problem(String detail) {
        return (request, response, exception) -> ProblemResponses.write(response, 401, "Unauthorized", detail);
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).strip());
    }
}
