package org.escadrille.server.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On the very first start (no users yet), creates the {@code admin} account with a random password
 * and an API key, and leaves them in {@code <data-dir>/admin.password} and {@code <data-dir>/admin.key}
 * (readable by their owner only; the log says where, never what), so that the CLI on the same machine
 * works with no setup. Only hashes are stored in the database.
 */
@Component
@Order(0)
class FirstAdmin implements ApplicationRunner {
    static final String KEY_FILE = "admin.key";
    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

    private final AccountService accounts;
    private final EscadrilleProperties properties;

    FirstAdmin(AccountService accounts, EscadrilleProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (accounts.hasUsers()) {
            return;
        }
        String password = Ids.newSecret().substring(0, 20);
        var admin = accounts.createUser("admin", password, Account.Role.ADMIN);
        String key = accounts.newApiKey(admin, "first admin key");
        Path keyFile = properties.dataDir().resolve(KEY_FILE);
        Path passwordFile = properties.dataDir().resolve("admin.password");
        writeOwnerOnly(keyFile, key + "\n");
        writeOwnerOnly(passwordFile, password + "\n");
        // Where, never what: logs are copied and shipped; the files are readable by their owner only.
        log.info("created the first admin: user 'admin', its password in {} and its API key in {} (readable by the owner only)",
                passwordFile, keyFile);
    }

    /**
     * Written beside, then moved into place: whoever waits for the file (a script, {@code bench/run scale}) reads
     * the whole secret or no file, never the empty file between its creation and its write.
     */
    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path written = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(written);
            Files.createFile(written, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(written, content);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
