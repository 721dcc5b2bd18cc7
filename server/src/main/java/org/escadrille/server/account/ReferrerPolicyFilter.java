package org.escadrille.server.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Referrer-Policy: same-origin} on every answer, whichever security chain (if any) handled it:
 * links out of the portal must not hand other sites the paths of executions and files.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReferrerPolicyFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Referrer-Policy", "same-origin");
        chain.doFilter(request, response);
    }
}
