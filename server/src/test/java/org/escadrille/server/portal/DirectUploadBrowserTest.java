package org.escadrille.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.storage.S3Server;
import org.escadrille.server.storage.TransferMeter;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data manager on S3 storage: a file chosen in the page goes straight from the browser to the
 * bucket in parts (5 MiB here, so that 20 MiB makes four), with its progress shown, and the server
 * records it with the SHA-256 the page computed, streaming none of its bytes.
 */
@Tag("e2e")
class DirectUploadBrowserTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    private static String bucket;
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.assumeInstalled();
        bucket = s3.newBucket();
        server = s3.server(bucket, S3Server.SECRET_KEY).property("escadrille.uploads.part-size", "5MB").start();
        server.newUser("alice");
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

    private static String consoleOf(Browser browser) {
        try {
            return browser.driver().manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().toString();
        } catch (RuntimeException e) {
            return "(no console: " + e.getMessage() + ")";
        }
    }

    @Test
    void aFileChosenInTheDataManagerGoesStraightToTheBucketInPartsWithItsProgressShown(@TempDir Path temp) throws Exception {
        byte[] content = new byte[20 * 1024 * 1024 + 777];
        new Random(7).nextBytes(content);
        Path file = Files.write(temp.resolve("scan.bin"), content);
        var meter = server.bean(TransferMeter.class);
        double received = meter.received();
        browser.signIn("alice", "password-alice");
        browser.go("/files");

        browser.find("#upload-files").sendKeys(file.toString());

        browser.await(120, d -> browser.all("#upload-list li[data-done=true]").size() == 1
                || !browser.all("#upload-list .field-error").isEmpty());
        assertThat(browser.all("#upload-list .field-error")).extracting(e -> e.getText())
                .as("an upload that failed; the browser said %s", consoleOf(browser)).isEmpty();
        var item = browser.find("#upload-list li");
        assertThat(item.findElement(org.openqa.selenium.By.cssSelector("progress")).getAttribute("value")).isEqualTo("100");
        assertThat(Integer.parseInt(item.getAttribute("data-progress-steps"))).as("progress shown along the way")
                .isGreaterThanOrEqualTo(5);
        assertThat(item.getText()).contains("Uploaded (20 MiB)");
        browser.await(30, d -> browser.all("#listing tr[data-path='scan.bin']").size() == 1);
        assertThat(meter.received()).as("bytes the server received").isEqualTo(received);
        var head = s3.client().headObject(b -> b.bucket(bucket).key("gateway/users/alice/scan.bin"));
        assertThat(head.contentLength()).isEqualTo(content.length);
        var alice = server.bean(AccountService.class).findByUsername("alice").orElseThrow();
        assertThat(server.bean(UserFiles.class).stat(alice, UserPath.of("scan.bin")).sha256())
                .as("the browser's SHA-256, recorded").isEqualTo(Sha256.of(content));
    }
}
