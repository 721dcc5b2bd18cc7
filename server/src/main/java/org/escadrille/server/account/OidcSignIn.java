package org.escadrille.server.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.escadrille.server.audit.AuditLog;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The portal's sign-in through OpenID providers (Spring Security's OAuth2 login, authorisation-code
 * flow): the button's {@code /oauth2/authorization/{provider}}, the provider's answer at
 * {@code /login/oauth2/code/{provider}}, where Spring Security checks the state, the ID token's
 * signature, issuer, audience, nonce and times; then {@link OidcAccounts} says who the person is here.
 * Every refusal ends on the login page with a sentence saying why ({@code /login?oidc=...}) and goes to
 * the audit log; a success goes where a password sign-in goes.
 */
@Component
public class OidcSignIn implements OAuth2UserService<OidcUserRequest, OidcUser> {
    /** Why a sign-in through a provider ended on the login page: the {@code oidc} parameter of {@code /login}. */
    public static final String PENDING = "pending";
    public static final String NOT_ACCEPTED = "not-accepted";
    public static final String UNKNOWN_PROVIDER = "unknown-provider";
    public static final String UNREACHABLE = "unreachable";
    public static final String FAILED = "failed";

    private static final String AUTHORIZATION = "/oauth2/authorization/";
    private static final String CALLBACK = "/login/oauth2/code/";

    private final OidcProviders providers;
    private final OidcAccounts accounts;
    private final AuditLog audit;
    private final OidcUserService tokens = new OidcUserService();

    OidcSignIn(OidcProviders providers, OidcAccounts accounts, AuditLog audit) {
        this.providers = providers;
        this.accounts = accounts;
        this.audit = audit;
    }

    /** Adds the sign-in through providers to the portal's chain; with none configured, nothing. */
    void configure(HttpSecurity http, AuthenticationSuccessHandler success) throws Exception {
        if (!providers.any()) {
            return;
        }
        http.oauth2Login(login -> login.loginPage("/login")
                        .clientRegistrationRepository(providers.repository())
                        // the tokens live as long as the session: a sign-in needs them no longer
                        .authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
                        .userInfoEndpoint(info -> info.oidcUserService(this))
                        .successHandler(success)
                        .failureHandler(this::failed))
                .addFilterBefore(providerGate(), OAuth2AuthorizationRequestRedirectFilter.class);
    }

    /** After Spring Security has checked the ID token (and read the user-info endpoint): who is this here. */
    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = tokens.loadUser(request);
        var claims = new OidcAccounts.Claims(request.getClientRegistration().getRegistrationId(),
                user.getIdToken().getClaimAsString(IdTokenClaimNames.ISS), user.getSubject(), user.getEmail(),
                Boolean.TRUE.equals(user.getEmailVerified()), user.getPreferredUsername());
        return switch (accounts.signIn(claims)) {
            case OidcAccounts.Outcome.SignedIn in -> new OidcSignedInUser(in.account(), user.getIdToken(), user.getUserInfo());
            case OidcAccounts.Outcome.Pending pending -> throw refusal(PENDING, pending.username()
                    + " waits for an administrator's approval");
            case OidcAccounts.Outcome.Disabled disabled -> throw refusal("disabled", disabled.username() + " is disabled");
            case OidcAccounts.Outcome.Refused refused -> throw refusal(NOT_ACCEPTED, refused.reason());
        };
    }

    private static OAuth2AuthenticationException refusal(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null), description);
    }

    private void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode() : "";
        String provider = after(request.getRequestURI(), CALLBACK);
        audit.record(AuditLog.NOBODY, "sign-in-failed", "oidc " + provider + ": " + exception.getMessage(), request.getRemoteAddr());
        String reason = switch (code) {
            case PENDING, NOT_ACCEPTED -> code;
            case "disabled" -> null;
            default -> FAILED; // a forged or stale state, an expired or invalid ID token, a refusal at the provider
        };
        response.sendRedirect(reason == null ? "/login?disabled" : "/login?oidc=" + reason);
    }

    /**
     * Before Spring Security's own filters: a provider that is not configured, or cannot be reached, gets
     * the login page saying so (Spring Security would answer 500).
     */
    private OncePerRequestFilter providerGate() {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                String path = request.getRequestURI();
                return !path.startsWith(AUTHORIZATION) && !path.startsWith(CALLBACK);
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String path = request.getRequestURI();
                String id = after(path, path.startsWith(AUTHORIZATION) ? AUTHORIZATION : CALLBACK);
                if (!providers.isConfigured(id)) {
                    // not audited: nothing was tried, and anyone could fill the log with such visits
                    response.sendRedirect("/login?oidc=" + UNKNOWN_PROVIDER);
                } else if (providers.registration(id).isEmpty()) {
                    response.sendRedirect("/login?oidc=" + UNREACHABLE);
                } else {
                    chain.doFilter(request, response);
                }
            }
        };
    }

    private static String after(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return "";
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.length() > 40 ? id.substring(0, 40) : id;
    }
}
