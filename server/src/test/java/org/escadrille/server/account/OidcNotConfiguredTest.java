package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With no OpenID provider in the settings (the default), the portal has no OAuth2 endpoint and no button. */
@Tag("e2e")
class OidcNotConfiguredTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theOauth2EndpointsAreOrdinaryPagesThatNeedASignIn() {
        var visitor = new PortalVisitor(server.url(), "10.93.0.1");
        for (String path : new String[] {"/oauth2/authorization/campus", "/login/oauth2/code/campus?code=x&state=y"}) {
            var response = visitor.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElseThrow()).as(path).endsWith("/login");
        }
    }

    @Test
    void theLoginPageOffersPasswordsOnly() {
        var page = new PortalVisitor(server.url(), "10.93.0.2").get("/login").body();

        assertThat(page).contains("id=\"password\"").doesNotContain("oauth2", "Sign in with");
    }
}
