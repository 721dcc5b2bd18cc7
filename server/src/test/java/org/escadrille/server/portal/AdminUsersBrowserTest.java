package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The admin page's users table in Chromium: an admin finds a user, disables them (whose open page then
 * sends them to the sign-in page, which says why they cannot sign in), enables them again, and gives them
 * a generated password, shown once, with which they sign in.
 */
@Tag("e2e")
class AdminUsersBrowserTest {
    private static TestServer server;
    private static Browser admin;
    private static Browser user;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(false).start();
        var accounts = server.bean(AccountService.class);
        accounts.createUser("xavier", "password-xavier", Account.Role.USER);
        accounts.createUser("yara", "password-yara", Account.Role.USER);
        admin = Browser.open(server.url());
        admin.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());
        user = Browser.open(server.url());
    }

    @AfterAll
    static void stop() {
        for (Browser browser : new Browser[] {admin, user}) {
            if (browser != null) {
                browser.close();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDisabledUsersPageSendsThemToSignInWhichSaysWhyUntilTheyAreEnabledAgain() {
        user.signIn("xavier", "password-xavier");
        user.go("/executions");
        assertThat(user.path()).isEqualTo("/executions");
        admin.go("/admin");
        admin.find("#user-query").sendKeys("xav");
        admin.find("form[role=search] button").click();
        admin.await(10, d -> admin.all("#users tbody tr").size() == 1);

        admin.find("#user-xavier form[action='/admin/users/enabled'] button").click();

        assertThat(admin.awaitText(".notice", "is disabled")).contains("xavier");
        assertThat(admin.find("#user-xavier").getText()).contains("Disabled");
        user.go("/executions");
        assertThat(user.path()).isEqualTo("/login");
        assertThat(user.find("main").getText()).contains("ended by an administrator");
        user.find("#username").sendKeys("xavier");
        user.find("#password").sendKeys("password-xavier");
        user.find("form[action='/login'] button[type=submit]").click();
        assertThat(user.awaitText(".alert", "disabled")).contains("This account is disabled");

        admin.find("#user-xavier form[action='/admin/users/enabled'] button").click();
        assertThat(admin.awaitText(".notice", "is enabled")).contains("xavier");
        user.signIn("xavier", "password-xavier");
        assertThat(user.path()).isEqualTo("/");
    }

    @Test
    void aGeneratedPasswordIsShownOnceAndSignsTheUserIn() {
        admin.go("/admin");
        admin.find("#user-yara details summary").click();
        admin.find("#user-yara details button").click();

        admin.awaitVisible("#generated-password-notice");
        assertThat(admin.find("#generated-password-notice").getText()).contains("yara");
        String password = admin.find("#generated-password").getAttribute("value");
        assertThat(password).hasSize(20);
        admin.go("/admin");
        assertThat(admin.all("#generated-password")).as("shown once").isEmpty();
        user.signIn("yara", password);
        assertThat(user.path()).isEqualTo("/");
    }

    @Test
    void theAdminsOwnRowHasNoDisableButton() {
        admin.go("/admin?q=admin");
        assertThat(admin.find("#user-admin").getText()).contains("Enabled").doesNotContain("Disable");
    }
}
