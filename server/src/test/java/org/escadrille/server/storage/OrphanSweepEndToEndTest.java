package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.PortalVisitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sweeper in the server, with the real owners of every prefix (users' files, attempts' staging
 * areas and checkpoints), run by an admin through the API.
 */
@Tag("e2e")
class OrphanSweepEndToEndTest {
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
    void anAdminsSweepRemovesOldObjectsNoRecordNamesAndKeepsTheRest() throws IOException {
        ApiClient olga = server.newUser("olga");
        assertThat(olga.put("/api/v1/files/kept/data.txt", "named by stored_files".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(201);
        Path kept = object("users/olga/kept/data.txt");
        Path stray = write("users/olga/kept/stray.txt");
        Path staged = write("staging/0000000000000000000000000000dead/out.txt");
        Path checkpoint = write("checkpoints/0000000000000000000000000000dead/100/part.json");
        Path unclaimed = write("elsewhere/object.bin");
        for (Path old : new Path[] {kept, stray, staged, checkpoint, unclaimed}) {
            age(old, Duration.ofDays(2));
        }
        Path young = write("users/olga/young.txt");

        var swept = server.admin().post("/api/v1/storage/orphan-sweeps", "{}");

        assertThat(swept.status()).as(swept.body()).isEqualTo(200);
        assertThat(kept).exists();
        assertThat(young).as("younger than the grace period").exists();
        assertThat(unclaimed).as("under no owner's prefix").exists();
        assertThat(stray).doesNotExist();
        assertThat(staged).doesNotExist();
        assertThat(checkpoint).doesNotExist();
        assertThat(swept.json().path("removed").asInt()).isEqualTo(3);
        assertThat(server.admin().get("/api/v1/storage/orphan-sweeps/last").json().path("removedKeys").toString())
                .contains("users/olga/kept/stray.txt", "staging/0000000000000000000000000000dead/out.txt");
        assertThat(olga.get("/api/v1/files/kept/data.txt").body()).isEqualTo("named by stored_files");
    }

    @Test
    void anAdminRunsTheSweeperFromTheAdminPageAndSeesItsReport() throws IOException {
        Path stray = write("staging/00000000000000000000000000000bad/left.txt");
        age(stray, Duration.ofDays(3));
        var browser = new PortalVisitor(server.url(), "203.0.113.15");
        browser.signIn("admin", Files.readString(server.dataDir().resolve("admin.password")).strip());

        var swept = browser.post("/admin", "/admin/storage/orphan-sweep");

        assertThat(swept.statusCode()).isEqualTo(302);
        assertThat(stray).doesNotExist();
        assertThat(browser.get("/admin").body()).contains("id=\"orphan-sweep\"")
                .contains("staging/00000000000000000000000000000bad/left.txt");
    }

    @Test
    void onlyAnAdminMayRunTheSweeper() {
        ApiClient pete = server.newUser("pete");

        assertThat(pete.post("/api/v1/storage/orphan-sweeps", "{}").status()).isEqualTo(403);
        assertThat(pete.get("/api/v1/storage/orphan-sweeps/last").status()).isEqualTo(403);
    }

    private static Path object(String key) {
        return server.dataDir().resolve("storage").resolve(key);
    }

    private static Path write(String key) throws IOException {
        Path file = object(key);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, key);
    }

    private static void age(Path file, Duration by) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(by)));
    }
}
