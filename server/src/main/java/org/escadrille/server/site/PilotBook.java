package org.escadrille.server.site;

import java.util.List;
import org.escadrille.server.backend.PilotLaunch;
import org.escadrille.server.scheduling.PilotRegistry;

/**
 * What a site's supervisor asks of the rest of the server: a new pilot's identity, the launch it is
 * started with, and word of a pilot that is gone (so that its leases return to the queue now).
 */
interface PilotBook {

    PilotRegistry.Credentials mint(Site site);

    PilotLaunch launch(PilotRegistry.Credentials credentials, Site site, List<String> options);

    void gone(String pilotId, String why);
}
