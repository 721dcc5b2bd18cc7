package org.escadrille.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Duration;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.MailPreference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An execution's owner gets one e-mail when it ends, with its name, status and a link to its page, from
 * an SMTP server (GreenMail, in the test) set with {@code spring.mail.*}; an owner who said no gets none.
 * Deleting an execution that has not ended kills it first: its owner is told it was killed and deleted
 * (by whom), without a link to a page that is gone. No pilots: executions stay queued until killed or
 * deleted, which ends them.
 */
@Tag("e2e")
class ExecutionEndMailTest {
    private static GreenMail smtp;
    private static TestServer server;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = TestServer.builder().pilots(false)
                .property("spring.mail.host", "127.0.0.1")
                .property("spring.mail.port", Integer.toString(smtp.getSmtp().getPort()))
                .property("escadrille.notifications.from", "gateway@example.org")
                .property("escadrille.notifications.portal-url", "https://portal.example.org/")
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @BeforeEach
    void emptyTheMailboxes() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    private static ApiClient userWith(String name, MailPreference preference) {
        var client = server.newUser(name);
        var accounts = server.bean(AccountService.class);
        accounts.changeMailPreference(accounts.findByUsername(name).orElseThrow(), preference);
        return client;
    }

    @Test
    void theOwnerIsMailedOnceWithTheNameTheStatusAndALinkAndWhoSaidNoIsNot() throws Exception {
        var quiet = userWith("quiet", new MailPreference("quiet@example.org", false));
        var ada = userWith("ada", new MailPreference("ada@example.org", true));
        String unmailed = quiet.launch(Map.of("app", "pi", "name", "not to be told", "inputs", Map.of("events", 1000)));
        assertThat(quiet.post("/api/v1/executions/" + unmailed + "/kill", "").status()).isEqualTo(200);
        String id = ada.launch(Map.of("app", "pi", "name", "pi sweep 7", "inputs", Map.of("events", 1000)));

        assertThat(ada.post("/api/v1/executions/" + id + "/kill", "").status()).isEqualTo(200);
        ada.post("/api/v1/executions/" + id + "/kill", "");

        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
        var message = smtp.getReceivedMessages()[0];
        assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly("ada@example.org");
        assertThat(message.getFrom()).extracting(Object::toString).containsExactly("gateway@example.org");
        assertThat(message.getSubject()).contains("pi sweep 7", "killed");
        assertThat(GreenMailUtil.getBody(message)).contains("pi sweep 7", "was killed",
                "https://portal.example.org/executions/" + id);
        // the kill's event and the quiet user's were handled before ada's: nothing else comes
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> smtp.getReceivedMessages().length == 1);
    }

    @Test
    void theOwnerOfARunningExecutionThatAnAdminDeletesIsToldItWasKilledAndDeleted() throws Exception {
        var wendy = userWith("wendy", new MailPreference("wendy@example.org", true));
        String id = wendy.launch(Map.of("app", "pi", "name", "long run", "inputs", Map.of("events", 1000)));

        assertThat(server.admin().delete("/api/v1/executions/" + id).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
        var message = smtp.getReceivedMessages()[0];
        assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly("wendy@example.org");
        assertThat(message.getSubject()).contains("long run", "was killed and deleted");
        assertThat(GreenMailUtil.getBody(message)).contains("killed by admin to delete it", "no page any more")
                .doesNotContain("https://portal.example.org/executions/");
        assertThat(wendy.get("/api/v1/executions/" + id).status()).isEqualTo(404);
    }
}
