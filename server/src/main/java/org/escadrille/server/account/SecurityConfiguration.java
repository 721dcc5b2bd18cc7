package org.escadrille.server.account;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Function;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.server.EscadrilleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Who may call what. Five chains here: pilots ({@code /api/pilot/**}, a bearer token: the registration
 * token minted for each pilot, then the session tokens of its registration), the APIs ({@code /api/**},
 * the {@code apikey} header, stateless), CARMIN ({@code /rest/**}: the same keys, CARMIN's errors), health (open), and the portal's pages (everything else: form
 * login, a session, CSRF tokens); a sixth, {@link MetricsSecurity}, guards the rest of the actuator.
 * Sign-ins and API keys are rationed and audited through {@link SignInHandlers}. API failures are
 * problem documents, never a login page or a trace.
 */
@Configuration
public class SecurityConfiguration {
    private static final String LOGIN_PAGE = "/login";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * No tracing observation around each security filter: with Actuator present, Spring Security wraps
     * every filter of every request in one, which cost more than the scheduling itself on the pilots'
     * path (bench/README.md, dispatch profile). Request metrics stay.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Tells the session registry when sessions end ({@link UserSessions}), so that it forgets them. */
    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    /** The firewall's rules for headers and parameter names without a regular expression ({@link FirewallRules}). */
    @Bean
    WebSecurityCustomizer firewallRulesWithoutRegularExpressions() {
        return FirewallRules.customizer();
    }

    /** Requests the firewall refuses (encoded dots, odd characters) get a problem document too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, exception) -> ProblemResponses.write(response, 400, "Invalid request",
                "the request is not allowed (" + exception.getMessage() + "): paths must not contain encoded "
                        + "dots, slashes or '..', and header names and values no control characters");
    }

    @Bean
    @Order(1)
    SecurityFilterChain pilotChain(HttpSecurity http, PilotTokenVerifier verifier) throws Exception {
        var filter = tokenFilter(
                request -> PilotTokenVerifier.bearerToken(request.getHeader("Authorization"))
                        .map(token -> PilotAuthentication.unchecked(token, request.getRequestURI().endsWith(PilotProtocol.REGISTER)))
                        .orElse(null),
                authentication -> switch (verifier.verify((String) authentication.getCredentials(),
                        ((PilotAuthentication) authentication).registering())) {
                    case PilotTokenVerifier.Accepted accepted -> PilotAuthentication.of(accepted.pilotId(), accepted.tokenId());
                    case PilotTokenVerifier.Refused refused -> throw new BadCredentialsException(refused.reason());
                    case PilotTokenVerifier.Busy busy -> throw new PilotsBusyException(busy.reason());
                });
        filter.setFailureHandler((request, response, exception) -> {
            if (exception instanceof PilotsBusyException) {
                response.setHeader("Retry-After", "60");
                ProblemResponses.write(response, 503, "Service Unavailable", exception.getMessage());
            } else {
                ProblemResponses.write(response, 401, "Unauthorized", exception.getMessage());
            }
        });
        // The hottest path of the server (every lease, heartbeat and completion): only the filters it needs.
        return http.securityMatcher("/api/pilot/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.disable())
                .addFilterAt(filter, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAuthority(PilotAuthentication.AUTHORITY))
                .exceptionHandling(e -> e.authenticationEntryPoint(problem("a pilot needs its token: Authorization: Bearer <token>")))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, AccountService accounts, SignInHandlers signIns) throws Exception {
        var filter = apiKeyFilter(accounts);
        filter.setFailureHandler((request, response, exception) -> {
            signIns.apiKeyFailed(request);
            ProblemResponses.write(response, 401, "Unauthorized", exception.getMessage());
        });
        return http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(filter, BasicAuthenticationFilter.class)
                .addFilterBefore(signIns.apiKeyThrottle(), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/health", "/api/v1/openapi.json", "/api/v1/shared/**").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(
                        problem("send your API key in the 'apikey' header (see escadrille serve's output or <data-dir>/admin.key)")))
                .build();
    }

    /**
     * CARMIN ({@code /rest/**}, VIP's base path): the same {@code apikey} header and keys as the native API,
     * failures in CARMIN's error format with VIP's code for a bad key, which its client looks for. The
     * platform's description, the sign-in that hands out a key, and the API's own document are open.
     */
    @Bean
    @Order(2)
    SecurityFilterChain carminChain(HttpSecurity http, AccountService accounts, SignInHandlers signIns) throws Exception {
        var filter = apiKeyFilter(accounts);
        filter.setFailureHandler((request, response, exception) -> {
            signIns.apiKeyFailed(request);
            CarminErrorResponses.write(response, 401, CarminErrorResponses.BAD_API_KEY, exception.getMessage());
        });
        return http.securityMatcher("/rest/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(filter, BasicAuthenticationFilter.class)
                .addFilterBefore(signIns.apiKeyThrottle(), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/rest/platform", "/rest/authenticate", "/rest/openapi.json").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint((request, response, exception) ->
                        CarminErrorResponses.write(response, 401, CarminErrorResponses.BAD_API_KEY,
                                "send your API key in the 'apikey' header (POST /rest/authenticate gives one)")))
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
        // metrics name users: MetricsSecurity guards them
        return http.securityMatcher("/actuator/health/**", "/actuator/health", "/favicon.ico")
                .csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .build();
    }

    /**
     * The portal: pages need a signed-in user (a session from the login form), {@code /admin} an admin,
     * {@code /publish} a developer or an admin,
     * and every change a CSRF token. A browser navigating without a session goes to the login page (a
     * form sent after the session ended too); a request that cannot follow a redirect (htmx fragments,
     * uploads, scripts) gets a 401, htmx being told where to go instead ({@code HX-Redirect}).
     */
    @Bean
    @Order(4)
    SecurityFilterChain portalChain(HttpSecurity http, SignInHandlers signIns, UserSessions sessions, OidcSignIn oidc,
                                    EscadrilleProperties properties) throws Exception {
        var loginPage = new LoginUrlAuthenticationEntryPoint(LOGIN_PAGE);
        AuthenticationEntryPoint entryPoint = (request, response, exception) -> {
            if (isNavigation(request)) {
                loginPage.commence(request, response, exception);
            } else {
                response.setHeader("HX-Redirect", LOGIN_PAGE);
                response.setStatus(401);
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write("Your session has ended: sign in again.");
            }
        };
        var forbiddenPage = new AccessDeniedHandlerImpl();
        forbiddenPage.setErrorPage("/forbidden");
        AccessDeniedHandler denied = (request, response, exception) -> {
            // no session any more, so its CSRF token is unknown: the cure is to sign in again
            if (exception instanceof CsrfException && !isSignedIn(SecurityContextHolder.getContext().getAuthentication())) {
                entryPoint.commence(request, response, new InsufficientAuthenticationException(exception.getMessage()));
            } else {
                forbiddenPage.handle(request, response, exception);
            }
        };
        var savedPages = new HttpSessionRequestCache();
        savedPages.setRequestMatcher(request -> "GET".equals(request.getMethod()) && isNavigation(request));
        // Institutional sign-in (OpenID Connect), when providers are configured: docs/oidc.md.
        oidc.configure(http, signIns.success(savedPages));
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(LOGIN_PAGE, "/error", "/forbidden", "/pilot.jar", "/shared/*", "/css/**", "/js/**", "/webjars/**",
                                "/favicon.svg", "/favicon.ico").permitAll()
                        .requestMatchers("/admin/**").hasRole(Account.Role.ADMIN.name())
                        .requestMatchers("/publish", "/publish/**").hasAnyRole(Account.Role.DEVELOPER.name(), Account.Role.ADMIN.name())
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage(LOGIN_PAGE)
                        .successHandler(signIns.success(savedPages)).failureHandler(signIns.failure()))
                .addFilterBefore(signIns.formThrottle(), UsernamePasswordAuthenticationFilter.class)
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl(LOGIN_PAGE + "?logout"))
                .requestCache(cache -> cache.requestCache(savedPages))
                // Sessions are registered so that disabling a user or resetting their password ends theirs.
                .sessionManagement(s -> s.maximumSessions(-1).sessionRegistry(sessions.registry())
                        .expiredUrl(LOGIN_PAGE + "?ended"))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
                                + "connect-src 'self'" + storageOrigins(properties.storage()) + "; "
                                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")))
                .build();
    }

    /**
     * Where the data manager's scripts may send files besides the portal itself: the S3 endpoint, to which
     * uploads go straight with presigned URLs (its buckets as host names too, unless path-style).
     */
    static String storageOrigins(EscadrilleProperties.StorageSettings storage) {
        if (storage.kind() != EscadrilleProperties.StorageKind.S3) {
            return "";
        }
        if (storage.s3().endpoint().isEmpty()) {
            return " https://*.amazonaws.com";
        }
        var endpoint = java.net.URI.create(storage.s3().endpoint());
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        String origin = " " + endpoint.getScheme() + "://" + endpoint.getHost() + port;
        return storage.s3().pathStyle() ? origin : origin + " " + endpoint.getScheme() + "://*." + endpoint.getHost() + port;
    }

    /** A browser loading a page or sending a form: not htmx, not a script, and asking for HTML. */
    private static boolean isNavigation(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return request.getHeader("HX-Request") == null && request.getHeader("X-Requested-With") == null
                && accept != null && accept.contains("text/html");
    }

    private static boolean isSignedIn(Authentication authentication) {
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }

    private static AuthenticationFilter apiKeyFilter(AccountService accounts) {
        return tokenFilter(
                request -> Optional.ofNullable(request.getHeader("apikey")).map(ApiKeyAuthentication::unchecked).orElse(null),
                authentication -> accounts.authenticateApiKey((String) authentication.getCredentials())
                        .map(account -> (Authentication) ApiKeyAuthentication.of(account))
                        .orElseThrow(() -> new BadCredentialsException("this API key is unknown, revoked or expired, or its user is disabled")));
    }

    private static AuthenticationFilter tokenFilter(
            AuthenticationConverter converter,
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

    /** A pilot token that is good, but for no pilot more at the moment. */
    private static final class PilotsBusyException extends org.springframework.security.core.AuthenticationException {
        PilotsBusyException(String message) {
            super(message);
        }
    }
}
