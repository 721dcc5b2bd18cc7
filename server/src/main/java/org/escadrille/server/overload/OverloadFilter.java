package org.escadrille.server.overload;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.PilotTokenVerifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admits each request through {@link Admission}, or answers 503 with {@code Retry-After} and a problem
 * document saying the server is busy. It runs before Spring Security, so that a shed request costs no
 * token check (a database read) and holds no connection; a request admitted keeps its permit until it
 * ends, asynchronous processing included.
 */
@Component
@Order(OverloadFilter.ORDER)
class OverloadFilter extends OncePerRequestFilter {
    /** Before Spring Security's filter chain (-100), after the request-metrics filter (highest precedence + 1). */
    static final int ORDER = -200;

    private final Admission admission;
    private final JsonMapper json;
    private final long retryAfterMin;
    private final ObjectProvider<ShedPilotSessions> pilotSessions;

    OverloadFilter(Admission admission, JsonMapper json, EscadrilleProperties properties,
                   ObjectProvider<ShedPilotSessions> pilotSessions) {
        this.admission = admission;
        this.pilotSessions = pilotSessions;
        this.json = json;
        this.retryAfterMin = properties.overload().retryAfterMin().toSeconds();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var kind = CallKind.of(request.getRequestURI().substring(request.getContextPath().length()));
        if (kind.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        var verdict = admission.admit(kind.get());
        if (verdict != Admission.Verdict.ADMITTED) {
            shed(kind.get(), verdict, response);
            if (kind.get().keepsPilotSession()) {
                PilotTokenVerifier.bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION))
                        .ifPresent(token -> pilotSessions.ifAvailable(sessions -> sessions.shed(token)));
            }
            return;
        }
        var release = new Release(kind.get());
        boolean async = false;
        try {
            chain.doFilter(request, response);
            async = request.isAsyncStarted();
            if (async) {
                request.getAsyncContext().addListener(release);
            }
        } finally {
            if (!async) {
                release.run();
            }
        }
    }

    private void shed(CallKind kind, Admission.Verdict verdict, HttpServletResponse response) throws IOException {
        // Spread over whole seconds: callers shed together must not all come back together. A crowd shed
        // faster than the server admits waits longer, so that few come back only to be shed again (ShedPace;
        // its ceiling is never below retry-after-max, itself never below retry-after-min).
        long ceiling = Math.round(admission.retryAfterCeiling(kind));
        long seconds = ThreadLocalRandom.current().nextLong(retryAfterMin, ceiling + 1);
        String why = switch (verdict) {
            case HEAP_FULL -> "its heap is nearly full";
            case RESULTS_FIRST -> "completions are waiting to be taken, and come before new work";
            case BOUND_FULL -> admission.limit(kind) + " " + kind.label() + " requests are in progress (escadrille.overload)";
            case ADMITTED -> throw new IllegalArgumentException("an admitted request is not shed");
        };
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the server is busy: " + why + "; retry after " + seconds + " s");
        problem.setTitle("Server busy");
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType("application/problem+json");
        json.writeValue(response.getOutputStream(), problem);
    }

    /** Gives the permit back once, whether the request ended on its thread or asynchronously. */
    private final class Release implements AsyncListener, Runnable {
        private final CallKind kind;
        private final AtomicBoolean released = new AtomicBoolean();

        Release(CallKind kind) {
            this.kind = kind;
        }

        @Override
        public void run() {
            if (released.compareAndSet(false, true)) {
                admission.leave(kind);
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            run();
        }

        @Override
        public void onError(AsyncEvent event) {
            run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows a timeout, but not when the response cannot be written any more.
            run();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Processing went asynchronous again: keep listening to its end.
            event.getAsyncContext().addListener(this);
        }
    }
}
