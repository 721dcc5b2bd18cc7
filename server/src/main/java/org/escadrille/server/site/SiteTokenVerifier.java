package org.escadrille.server.site;

import org.escadrille.protocol.Sha256;
import org.escadrille.server.account.PilotTokenVerifier;
import org.escadrille.server.scheduling.PilotRegistry;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * Pilots' tokens, and manual sites' tokens: a registration with a site's token makes a new pilot of
 * that site on the spot (minted, then registered as any other with its own registration token), as
 * many as the site's limits allow. Every other token is the pilot registry's to judge.
 */
@Primary
@Component
class SiteTokenVerifier implements PilotTokenVerifier {
    private final PilotRegistry pilots;
    private final SiteRepository sites;

    SiteTokenVerifier(PilotRegistry pilots, SiteRepository sites) {
        this.pilots = pilots;
        this.sites = sites;
    }

    @Override
    public Verdict verify(String token, boolean registering) {
        Verdict verdict = pilots.verify(token, registering);
        if (!(verdict instanceof Refused refused) || !registering || token == null || token.length() > 200) {
            return verdict;
        }
        var site = sites.findByTokenHash(Sha256.of(token));
        if (site.isEmpty()) {
            return refused.reason().startsWith("unknown pilot token")
                    ? new Refused(refused.reason() + "; a manual site's token stops working when it is rotated or revoked")
                    : verdict;
        }
        return admit(site.get());
    }

    private Verdict admit(Site site) {
        if (!site.enabled()) {
            return new Refused("site " + site.name() + " is disabled: its pilots are not admitted until an administrator"
                    + " enables it again");
        }
        var alive = pilots.aliveOf(site.name());
        int slots = alive.stream().mapToInt(pilot -> pilot.slots() != null ? pilot.slots() : 0).sum();
        var limits = site.limits();
        if (alive.size() >= limits.maxRunning() || slots >= limits.maxSlots()) {
            return new Busy("site " + site.name() + " has " + alive.size() + " pilot(s) with " + slots + " slot(s), as many"
                    + " as it may have (maxRunning " + limits.maxRunning() + ", maxSlots " + limits.maxSlots()
                    + "): try again when one has left, or ask an administrator to raise the limits");
        }
        var credentials = pilots.mint(Site.MANUAL, site.name());
        return pilots.verify(credentials.token(), true);
    }
}
