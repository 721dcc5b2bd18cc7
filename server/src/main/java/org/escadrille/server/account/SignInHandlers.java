package org.escadrille.server.account;

import io.github.bucket4j.TimeMeter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.audit.AuditLog;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What happens around a sign-in: the portal's form and the APIs' keys are rationed
 * ({@link SignInThrottle}); sign-ins and their failures go to the audit log. A throttled form gets the
 * login page with a 429, Retry-After and a sentence saying how long to wait; a throttled key, a problem
 * document.
 */
@Component
public class SignInHandlers {
    /** The request attribute that tells the login page how many seconds the visitor must wait. */
    public static final String WAIT_SECONDS = "escadrille.sign-in.wait-seconds";
    private static final String LOGIN_PAGE = "/login";

    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final AccountService accounts;

    SignInHandlers(EscadrilleProperties properties, AuditLog audit, AccountService accounts) {
        this.throttle = new SignInThrottle(properties.signIn(), TimeMeter.SYSTEM_MILLISECONDS);
        this.audit = audit;
        this.accounts = accounts;
    }

    /**
     * A sign-in by name and password outside the form (CARMIN's {@code authenticate}), rationed and
     * audited as the form's: empty for a wrong name or password.
     *
     * @throws TooManySignInsException when the account or the address is out of tries (nothing is checked)
     */
    public Optional<Account> signIn(String username, String password, String address) {
        var wait = throttle.signInWait(username, address);
        if (wait.isPresent()) {
            throw new TooManySignInsException(SignInThrottle.seconds(wait.get()));
        }
        var account = accounts.authenticatePassword(username, password);
        if (account.isPresent()) {
            audit.record(username, "sign-in", username, address);
            return account;
        }
        throttle.signInFailed(String.valueOf(username), address);
        audit.record(AuditLog.NOBODY, "sign-in-failed", String.valueOf(username), address);
        return Optional.empty();
    }

    /** Too many failed sign-ins from an account or an address: wait {@code seconds}. */
    public static final class TooManySignInsException extends RuntimeException {
        private final long seconds;

        TooManySignInsException(long seconds) {
            super("too many failed sign-ins for this account or from your address: wait " + seconds + " s");
            this.seconds = seconds;
        }

        public long seconds() {
            return seconds;
        }
    }

    /** Before the form's credentials are checked: an account or address out of tries waits, unchecked. */
    OncePerRequestFilter formThrottle() {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !("POST".equals(request.getMethod()) && LOGIN_PAGE.equals(request.getServletPath()));
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                var wait = throttle.signInWait(request.getParameter("username"), request.getRemoteAddr());
                if (wait.isEmpty()) {
                    chain.doFilter(request, response);
                    return;
                }
                long seconds = SignInThrottle.seconds(wait.get());
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString(seconds));
                request.setAttribute(WAIT_SECONDS, seconds);
                // The login page is shown as for a GET: the form is not looked at, its CSRF token was.
                chain.doFilter(new HttpServletRequestWrapper(request) {
                    @Override
                    public String getMethod() {
                        return "GET";
                    }
                }, response);
            }
        };
    }

    AuthenticationSuccessHandler success(RequestCache savedPages) {
        var next = new SavedRequestAwareAuthenticationSuccessHandler();
        next.setDefaultTargetUrl("/");
        next.setRequestCache(savedPages);
        return (request, response, authentication) -> {
            audit.record(authentication.getName(), "sign-in", authentication.getName(), request.getRemoteAddr());
            next.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /** Back to the form with the username kept (never the password), a try taken from the buckets. */
    AuthenticationFailureHandler failure() {
        return (request, response, exception) -> {
            String username = String.valueOf(request.getParameter("username"));
            throttle.signInFailed(username, request.getRemoteAddr());
            audit.record(AuditLog.NOBODY, "sign-in-failed", username, request.getRemoteAddr());
            // Once per failure that empties a bucket, not once per turned-away try: those are unbounded.
            throttle.signInWait(username, request.getRemoteAddr()).ifPresent(wait -> audit.record(AuditLog.NOBODY,
                    "sign-in-paused", username + " (" + SignInThrottle.seconds(wait) + " s)", request.getRemoteAddr()));
            String kept = username.length() > AccountService.MAX_USERNAME ? "" : username;
            // Spring Security says "disabled" before it checks the password: only the right one learns it.
            boolean disabled = exception instanceof DisabledException
                    && accounts.passwordMatches(username, request.getParameter("password"));
            response.sendRedirect(LOGIN_PAGE + (disabled ? "?disabled" : "?error") + "&username="
                    + URLEncoder.encode(kept, StandardCharsets.UTF_8));
        };
    }

    /** Before an API key is looked up: an address that sent too many bad keys waits. */
    OncePerRequestFilter apiKeyThrottle() {
        return new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return request.getHeader("apikey") == null;
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                var wait = throttle.apiKeyWait(request.getRemoteAddr());
                if (wait.isEmpty()) {
                    chain.doFilter(request, response);
                    return;
                }
                long seconds = SignInThrottle.seconds(wait.get());
                response.setHeader("Retry-After", Long.toString(seconds));
                String message = "too many unknown, revoked or expired API keys came from your address: wait " + seconds
                        + " s before the next try, with a valid key";
                if (request.getRequestURI().startsWith("/rest/")) {
                    CarminErrorResponses.write(response, 429, 42900, message);
                } else {
                    ProblemResponses.write(response, 429, "Too many requests", message);
                }
            }
        };
    }

    void apiKeyFailed(HttpServletRequest request) {
        throttle.apiKeyFailed(request.getRemoteAddr());
        throttle.apiKeyWait(request.getRemoteAddr()).ifPresent(wait -> audit.record(AuditLog.NOBODY, "api-keys-paused",
                "bad API keys (" + SignInThrottle.seconds(wait) + " s)", request.getRemoteAddr()));
    }
}
