package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.MailPreference;
import org.escadrille.server.account.OidcAccounts;
import org.escadrille.server.account.UserAdministration;
import org.escadrille.server.audit.AuditLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Institutional sign-in against a real OpenID provider ({@link OpenIdProvider}: Spring Authorization
 * Server on its own port), through the portal in Chromium: the authorisation-code flow from the login
 * page's button to the portal, accounts made at the first sign-in (at once for a trusted provider or an
 * approved domain, otherwise pending an admin's approval on the admin page), never merged with a password
 * account of the same address; and the refusals: a forged state, an expired ID token, a provider the
 * gateway does not have, an issuer it does not accept.
 */
@Tag("e2e")
class OidcSignInBrowserTest {
    private static OpenIdProvider provider;
    private static TestServer server;
    private static Browser browser;
    private static Browser admin;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        provider = OpenIdProvider.start();
        var settings = TestServer.builder().pilots(false)
                .property("escadrille.oidc.auto-approve-domains", "trusted.example");
        for (var client : Map.of("trusted", "Trusted University", "campus", "Campus", OpenIdProvider.STALE, "Stale").entrySet()) {
            String prefix = "escadrille.oidc.providers." + client.getKey() + ".";
            settings.property(prefix + "issuer-uri", provider.url())
                    .property(prefix + "client-id", client.getKey())
                    .property(prefix + "client-secret", "secret-" + client.getKey())
                    .property(prefix + "display-name", client.getValue())
                    .property(prefix + "auto-approve", Boolean.toString(!client.getKey().equals("campus")));
        }
        // a provider that is down: nothing listens on port 1
        settings.property("escadrille.oidc.providers.down.issuer-uri", "http://127.0.0.1:1")
                .property("escadrille.oidc.providers.down.client-id", "down");
        server = settings.start();
        for (String client : new String[] {"trusted", "campus", OpenIdProvider.STALE}) {
            provider.registerClient(client, server.url());
        }
        browser = Browser.open(server.url());
        admin = Browser.open(server.url());
        admin.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {browser, admin, server, provider}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // the others still close
            }
        }
    }

    @Test
    void theProviderPublishesItsDiscoveryDocumentAndTheLoginPageOffersEachProvider() throws Exception {
        var discovery = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(provider.url() + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains("\"issuer\":\"" + provider.url() + "\"", "authorization_endpoint", "jwks_uri");

        signOutEverywhere();
        browser.go("/login");

        assertThat(browser.find("#oidc-trusted").getText()).isEqualTo("Sign in with Trusted University");
        assertThat(browser.find("#oidc-campus").getText()).isEqualTo("Sign in with Campus");
        assertThat(browser.all("#username")).as("passwords stay").hasSize(1);
    }

    @Test
    void aTrustedProvidersPersonGetsAnAccountAtTheirFirstSignInAndTheSameOneNextTime() {
        signInThrough("trusted", "carol");
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.find("header").getText()).contains("carol");

        signInThrough("trusted", "carol");
        assertThat(browser.path()).isEqualTo("/");
        assertThat(server.bean(UserAdministration.class).find("carol")).hasSize(1);
        browser.go("/account");
        assertThat(browser.find("#institutional-sign-in").getText()).contains(provider.url());
        assertThat(audit()).contains("oidc-account-created carol", "sign-in carol");
    }

    @Test
    void aVerifiedAddressInAnAutoApprovedDomainGetsInAtOnceThroughAnUntrustedProvider() {
        signInThrough("campus", "bob");

        assertThat(browser.path()).isEqualTo("/");
        assertThat(server.bean(UserAdministration.class).get("bob").enabled()).isTrue();
    }

    @Test
    void anUntrustedPersonWaitsForAnAdminsApprovalThenGetsIn() {
        signInThrough("campus", "alice");
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("#oidc-problem").getText()).contains("waits for approval");
        browser.go("/");
        assertThat(browser.path()).as("not signed in").isEqualTo("/login");

        admin.go("/admin");
        assertThat(admin.find("#pending-alice").getText()).contains("alice@uni.example", provider.url());
        admin.find("#pending-alice button.approve").click();
        assertThat(admin.awaitText(".notice", "approved")).contains("alice");
        assertThat(admin.all("#pending-alice")).isEmpty();

        signInThrough("campus", "alice");
        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.find("header").getText()).contains("alice");
    }

    @Test
    void aRejectedPersonIsToldTheirAccountIsDisabled() {
        signInThrough("campus", "frank");
        assertThat(browser.find("#oidc-problem").getText()).contains("waits for approval");
        admin.go("/admin");
        admin.find("#pending-frank button.reject").click();
        assertThat(admin.awaitText(".notice", "rejected")).contains("frank");

        signInThrough("campus", "frank");

        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("main").getText()).contains("This account is disabled");
    }

    @Test
    void aPersonWithTheAddressOfAPasswordAccountGetsAnAccountOfTheirOwn() {
        var accounts = server.bean(AccountService.class);
        var dora = accounts.createUser("dora", "password-dora", Account.Role.USER);
        accounts.changeMailPreference(dora, new MailPreference("dora@uni.example", true));

        signInThrough("trusted", "dora");

        assertThat(browser.path()).isEqualTo("/");
        assertThat(browser.find("header").getText()).contains("dora-2");
        var users = server.bean(UserAdministration.class);
        assertThat(users.get("dora-2").email()).isEqualTo("dora@uni.example");
        assertThat(users.get("dora").account().id()).isEqualTo(dora.id());
        browser.signIn("dora", "password-dora");
        assertThat(browser.find("header").getText()).contains("dora").doesNotContain("dora-2");
    }

    @Test
    void anAnswerWithAForgedStateIsRefused() {
        signOutEverywhere();
        browser.go("/login");
        browser.find("#oidc-trusted").click();
        browser.await(10, d -> d.getCurrentUrl().startsWith(provider.url()));

        // the portal's session holds a real authorisation request; this answer names another one
        browser.go("/login/oauth2/code/trusted?code=stolen-code&state=forged-state");

        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("#oidc-problem").getText()).contains("Institutional sign-in failed");
        browser.go("/");
        assertThat(browser.path()).as("not signed in").isEqualTo("/login");
        assertThat(audit()).contains("authorization_request_not_found");
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        signInThrough(OpenIdProvider.STALE, "erin");

        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("#oidc-problem").getText()).contains("Institutional sign-in failed");
        assertThat(audit()).contains("invalid_id_token");
        assertThat(server.bean(UserAdministration.class).find("erin")).isEmpty();
    }

    @Test
    void aProviderTheGatewayDoesNotHaveIsRefusedWithAPageNotAnError() {
        signOutEverywhere();
        browser.go("/oauth2/authorization/elsewhere");
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("#oidc-problem").getText()).contains("No such institutional sign-in");

        browser.go("/login/oauth2/code/elsewhere?code=x&state=y");
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("#oidc-problem").getText()).contains("No such institutional sign-in");
    }

    @Test
    void aProviderThatIsDownIsSaidToBeSoAndTheGatewayStillStarted() {
        signOutEverywhere();
        browser.go("/login");
        browser.find("#oidc-down").click();

        browser.await(10, d -> browser.all("#oidc-problem").size() == 1);
        assertThat(browser.path()).isEqualTo("/login");
        assertThat(browser.find("#oidc-problem").getText()).contains("cannot be reached");
    }

    @Test
    void anIssuerOtherThanTheProvidersIsRefusedAndMakesNoAccount() {
        var outcome = server.bean(OidcAccounts.class).signIn(new OidcAccounts.Claims("campus", "https://rogue.example",
                "someone", "gina@trusted.example", true, "gina"));

        assertThat(outcome).isInstanceOf(OidcAccounts.Outcome.Refused.class);
        assertThat(((OidcAccounts.Outcome.Refused) outcome).reason()).contains("https://rogue.example");
        assertThat(server.bean(UserAdministration.class).find("gina")).isEmpty();
    }

    /** Through the login page's button, the provider's form, and back to the portal (wherever it lands). */
    private static void signInThrough(String providerId, String person) {
        signOutEverywhere();
        browser.go("/login");
        browser.find("#oidc-" + providerId).click();
        browser.await(10, d -> d.getCurrentUrl().startsWith(provider.url() + "/login"));
        browser.find("#username").sendKeys(person);
        browser.find("#password").sendKeys("password-" + person);
        browser.find("button[type=submit]").click();
        browser.await(15, d -> d.getCurrentUrl().startsWith(server.url()) && !browser.path().startsWith("/login/oauth2"));
    }

    /** Both sites' cookies: the portal's session and the provider's (whose sign-in would otherwise be remembered). */
    private static void signOutEverywhere() {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    private static String audit() {
        var events = server.bean(AuditLog.class).page(0, AuditLog.MAX_PAGE_SIZE).events();
        var text = new StringBuilder();
        events.forEach(e -> text.append(e.action()).append(' ').append(e.target()).append('\n'));
        return text.toString();
    }
}
