package org.escadrille.server.notification;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.execution.ExecutionEnded;
import org.escadrille.server.execution.ExecutionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Mails an execution's owner when it ends: its name, status and a link to its page. Sent on a virtual
 * thread of its own, so that a slow or absent SMTP server never holds up the thread that ended the
 * execution (the scheduler's); a failure is logged once and not retried (the page still tells).
 * Without {@code spring.mail.host} Spring Boot makes no mail sender and nothing is sent.
 */
@Component
class ExecutionEndMail implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ExecutionEndMail.class);
    private final ObjectProvider<JavaMailSender> mail;
    private final AccountService accounts;
    private final EscadrilleProperties properties;
    private final Environment environment;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    ExecutionEndMail(ObjectProvider<JavaMailSender> mail, AccountService accounts, EscadrilleProperties properties,
                     Environment environment) {
        this.mail = mail;
        this.accounts = accounts;
        this.properties = properties;
        this.environment = environment;
    }

    @EventListener
    void ended(ExecutionEnded ended) {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender != null) {
            senders.execute(() -> send(sender, ended));
        }
    }

    private void send(JavaMailSender sender, ExecutionEnded ended) {
        var preference = accounts.mailPreference(ended.ownerId());
        if (!preference.mailsOnEnd()) {
            return;
        }
        var message = new SimpleMailMessage();
        message.setFrom(properties.notifications().from());
        message.setTo(preference.email());
        String outcome = words(ended.status()) + (ended.deleted() ? " and deleted" : "");
        message.setSubject("Escadrille: " + ended.name() + " " + outcome.toLowerCase(Locale.ROOT));
        String link = portalUrl() + "/executions/" + ended.executionId();
        message.setText("Your execution " + ended.name() + " (" + ended.appName() + ", " + ended.executionId() + ") "
                + outcome.toLowerCase(Locale.ROOT) + ".\n"
                + (ended.error() == null || ended.status() == ExecutionStatus.Finished ? "" : "\n" + ended.error() + "\n")
                + (ended.deleted() ? "\nIt was deleted: it has no page any more.\n" : "\nIts page, logs and outputs: " + link + "\n")
                + "\nYou can turn these e-mails off on your account page: " + portalUrl() + "/account\n");
        try {
            sender.send(message);
            log.info("execution {}: told {} by e-mail that it ended {}", ended.executionId(), preference.email(), ended.status());
        } catch (RuntimeException e) { // MailException mostly: the SMTP server refused or could not be reached
            log.warn("execution {}: could not e-mail {} that it ended: {}", ended.executionId(), preference.email(),
                    e.getMessage());
        }
    }

    private static String words(ExecutionStatus status) {
        return switch (status) {
            case Finished -> "Finished";
            case Killed -> "Was killed";
            case InitializationFailed -> "Failed to start";
            default -> "Failed";
        };
    }

    /** The portal as users reach it: the setting, else the server's public URL, else this server on localhost. */
    private String portalUrl() {
        if (!properties.notifications().portalUrl().isEmpty()) {
            return properties.notifications().portalUrl();
        }
        if (!properties.publicUrl().isEmpty()) {
            return properties.publicUrl().replaceAll("/+$", "");
        }
        return "http://localhost:" + environment.getProperty("local.server.port", "8080");
    }

    @Override
    public void destroy() {
        senders.close();
    }
}
