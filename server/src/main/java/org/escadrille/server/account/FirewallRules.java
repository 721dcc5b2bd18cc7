package org.escadrille.server.account;

import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's firewall with its own rules for header names, header values and parameter names, checked by
 * a loop over the code points instead of a regular expression. The firewall checks each header name and value the
 * application reads, and its defaults match a pattern each time ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, and
 * for values the same with a tab): a {@code Matcher} for every header read, the largest allocation site in a
 * profile of the server at 10,000 pilots (bench/README.md, "Where the overload's rate goes"). Same rule, same
 * refusals (a 400 problem document, {@code RequestRejectedHandler}), no allocation.
 */
final class FirewallRules {
    private FirewallRules() {
    }

    static WebSecurityCustomizer customizer() {
        var firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(FirewallRules::assignedAndNotControl);
        firewall.setAllowedHeaderValues(FirewallRules::headerValue);
        firewall.setAllowedParameterNames(FirewallRules::assignedAndNotControl);
        return web -> web.httpFirewall(firewall);
    }

    /** Every code point assigned and none a control character: the firewall's rule for names. */
    static boolean assignedAndNotControl(String text) {
        return allowed(text, false);
    }

    /** As {@link #assignedAndNotControl}, a tab allowed: the firewall's rule for header values. */
    static boolean headerValue(String text) {
        return allowed(text, true);
    }

    private static boolean allowed(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
