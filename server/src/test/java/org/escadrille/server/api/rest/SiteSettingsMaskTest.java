package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sites' settings as the API shows them: nothing that looks like a secret. */
class SiteSettingsMaskTest {
    @Test
    void settingsNamedLikeSecretsAreMasked() {
        var shown = SitesController.masked(Map.of("partition", "debug", "ssh-key", "/home/a/.ssh/id", "api-token", "t0",
                "Password", "p", "client-secret", "s"));

        assertThat(shown).containsEntry("partition", "debug").containsEntry("ssh-key", "********")
                .containsEntry("api-token", "********").containsEntry("Password", "********")
                .containsEntry("client-secret", "********");
    }
}
