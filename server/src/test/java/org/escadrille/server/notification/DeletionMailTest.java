package org.escadrille.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Duration;
import java.util.Map;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.MailPreference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deleting an execution that has not ended kills it first: its owner, when they asked for e-mails, is
 * told it was killed and deleted (by whom), without a link to a page that is gone; also when an admin
 * deleted it. No pilots: the executions stay queued until deleted.
 */
@Tag("e2e")
class DeletionMailTest {
    private static GreenMail smtp;
    private static TestServer server;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = TestServer.builder().pilots(false)
                .property("spring.mail.host", "127.0.0.1")
                .property("spring.mail.port", Integer.toString(smtp.getSmtp().getPort()))
                .property("escadrille.notifications.portal-url", "https://portal.example.org")
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

    @Test
    void theOwnerOfARunningExecutionThatAnAdminDeletesIsToldItWasKilledAndDeleted() throws Exception {
        var wendy = server.newUser("wendy");
        var accounts = server.bean(AccountService.class);
        accounts.changeMailPreference(accounts.findByUsername("wendy").orElseThrow(), new MailPreference("wendy@example.org", true));
        String id = wendy.launch(Map.of("app", "pi", "name", "long run", "inputs", Map.of("events", 1000)));

        assertThat(server.admin().delete("/api/v1/executions/" + id).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
        var message = smtp.getReceivedMessages()[0];
        assertThat(message.getAllRecipients()).extracting(Object::toString).containsExactly("wendy@example.org");
        assertThat(message.getSubject()).contains("long run", "was killed and deleted");
        String body = GreenMailUtil.getBody(message);
        assertThat(body).contains("killed by admin to delete it", "no page any more")
                .doesNotContain("https://portal.example.org/executions/");
        assertThat(wendy.get("/api/v1/executions/" + id).status()).isEqualTo(404);
    }
}
