package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.escadrille.server.TestServer;
import org.escadrille.server.limits.RunningLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The account page shows a user's limits and what they use of them; the admin page sets a user's and a
 * group's limit and shows a month's usage with its CSV (docs/limits.md). No pilots: executions stay queued.
 */
@Tag("e2e")
class LimitsPagesBrowserTest {
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        server = TestServer.builder().pilots(false).property("escadrille.limits.max-running-executions", "1")
                .property("escadrille.scheduling.user-quota", "4").start();
        browser = Browser.open(server.url());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theAccountPageShowsRunningExecutionsAgainstTheLimitTheWaitingOnesAndTheSlotQuotaAndAWaitingExecutionSaysWhy() {
        var olga = server.newUser("olga");
        olga.launch(Map.of("app", "pi", "inputs", Map.of("events", 1000)));
        String waiting = olga.launch(Map.of("app", "pi", "inputs", Map.of("events", 1000)));

        browser.signIn("olga", "password-olga");
        browser.go("/account");

        assertThat(browser.find("#running-executions").getText()).isEqualTo("1 of 1 (the default); 1 waiting to start");
        assertThat(browser.find("#running-slots").getText()).isEqualTo("0 of 4 slots");
        browser.go("/executions/" + waiting);
        assertThat(browser.find("#waiting").getText()).startsWith("Waiting to start: over the limit of running executions:"
                + " olga has 1 not ended, the most allowed is 1");
    }

    @Test
    void anAdminSetsAUsersAndAGroupsLimitAndReadsAMonthsUsage() throws IOException {
        server.newUser("pia");
        browser.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());
        browser.go("/admin");
        browser.find("#limit-user").sendKeys("pia");
        browser.find("#limit-user-max").sendKeys("3");
        browser.find("form[action='/admin/limits/user'] button").click();
        browser.awaitText("#own-limits", "pia 3");
        assertThat(server.bean(RunningLimits.class).of("pia").max()).isEqualTo(3);

        browser.find("#limit-group").sendKeys("lab");
        browser.find("#limit-group-max").sendKeys("7");
        browser.find("form[action='/admin/limits/group'] button").click();
        browser.awaitText("#own-limits", "group lab 7");

        browser.go("/admin/usage?month=2026-11");
        assertThat(browser.find("#usage-table").getText()).contains("pia", "0.00");
        var csv = browser.fetch("/admin/usage.csv?month=2026-11");
        assertThat(csv).startsWith("200\nmonth,user,members,attempts,cpu_hours,wall_hours,storage_bytes")
                .contains("2026-11,pia,pia,0,0.0000,0.0000,0");
    }
}
