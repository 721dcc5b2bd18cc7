package org.escadrille.server.site;

import java.util.List;
import java.util.Map;
import org.escadrille.server.backend.Backend;
import org.escadrille.server.backend.BackendKind;
import org.escadrille.server.backend.LocalBackend;
import org.escadrille.server.backend.SiteConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A site kind for tests whose pilots are child processes of the test's server, like the local
 * site's, but handled as any remote engine's: elastic, sized by the queued work. Registered only in
 * a server started with {@code escadrille.test.child-process-kind=true}.
 */
@Component
@ConditionalOnProperty(name = "escadrille.test.child-process-kind", havingValue = "true")
class ChildProcessKind implements BackendKind {
    @Override
    public String name() {
        return "processes";
    }

    @Override
    public Map<String, String> settings() {
        return Map.of();
    }

    @Override
    public Backend open(SiteConfig site) {
        site.onlyKnown(settings().keySet());
        return new LocalBackend("-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1", List.of(), "none", List.of());
    }
}
