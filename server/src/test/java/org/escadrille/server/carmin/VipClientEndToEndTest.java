package org.escadrille.server.carmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.escadrille.server.TestServer;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VIP's own Python client, unchanged (../shared/specs/vip-client), drives a real server with real pilots:
 * {@code VipSession} uploads a folder, launches a sweep of the built-in sha256sum, watches it, downloads
 * the outputs and finishes; then the client's utility functions each return what it expects
 * (src/test/resources/carmin/vip_client_session.py). Only its base URL is set. Its optional Girder
 * dependency is an empty module here. Needs Python 3 and requests (Debian: python3-requests, which
 * .ci/run installs).
 */
@Tag("e2e")
class VipClientEndToEndTest {
    @TempDir
    Path work;

    @Test
    void vipsPythonClientRunsASessionAndItsUtilitiesAgainstEscadrille() throws Exception {
        var sources = SharedSpecs.vipClientSources();
        assumeTrue(sources.isPresent(), SharedSpecs.MISSING);
        assumeTrue(pythonWithRequests(), "python3 with requests is not installed (Debian: apt-get install python3-requests)");
        Path script = Path.of(getClass().getResource("/carmin/vip_client_session.py").toURI());
        Path stubs = Files.createDirectories(work.resolve("stubs"));
        Files.writeString(stubs.resolve("girder_client.py"), "# VIP's client imports it for VipCI only\n");
        Path log = work.resolve("python.log");

        try (var server = TestServer.builder().start()) {
            var accounts = server.bean(AccountService.class);
            var account = accounts.createUser("vip-researcher", "password-vip-researcher", Account.Role.USER);
            String key = accounts.newApiKey(account, "vip client");
            var python = new ProcessBuilder("python3", script.toString(), server.url(), key, work.resolve("session").toString(),
                    "vip-researcher", "password-vip-researcher")
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            python.environment().put("PYTHONPATH", sources.get() + File.pathSeparator + stubs);
            python.environment().put("PYTHONUNBUFFERED", "1");
            var process = python.start();
            boolean ended = process.waitFor(240, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String output = Files.readString(log);

            assertThat(ended).as("the client's session ended within 4 minutes:\n%s", output).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output.strip()).as(output).endsWith("VIP CLIENT OK");
        }
    }

    private static boolean pythonWithRequests() {
        try {
            var probe = new ProcessBuilder("python3", "-c", "import requests").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
