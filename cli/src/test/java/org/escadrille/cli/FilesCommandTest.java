package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.CRC32C;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code escadrille files ls|put|get|rm} against {@link FakeGateway}: the requests they send and what they print. */
class FilesCommandTest {
    private static final String ME = """
            {"username": "ada", "roles": ["user"], "storage": {"usedBytes": 2048, "quotaBytes": 1073741824}}""";

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void lsListsADirectoryThenTheStorageUsedOfTheQuota() {
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "data", "entries": [
                  {"name": "runs", "path": "data/runs", "directory": true, "size": 0},
                  {"name": "scan.nii", "path": "data/scan.nii", "directory": false, "size": 2048, "sha256": "ab"}],
                 "offset": 0, "total": 2, "next": null}"""));
        gateway.on("GET", "/api/v1/me", FakeGateway.json(200, ME));

        CliRunner.Result result = run("files", "ls", "data");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("GET", "/api/v1/files").getFirst().query()).isEqualTo("dir=data");
        assertThat(result.out()).contains("runs/").contains("scan.nii").contains("2.0 KiB")
                .endsWith("Storage: 2.0 KiB used of 1.0 GiB\n");
    }

    @Test
    void putStreamsTheFileToItsPathInTheSpace() throws Exception {
        Files.writeString(dir.resolve("local.txt"), "some data\n");
        gateway.on("PUT", "/api/v1/files/*", FakeGateway.json(201, """
                {"path": "inbox/local.txt", "name": "local.txt", "size": 10, "sha256": "%s"}""".formatted(Sha256.of("some data\n"))));

        CliRunner.Result result = run("files", "put", "local.txt", "inbox/");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var put = gateway.requests("PUT", "/api/v1/files/").getFirst();
        assertThat(put.path()).isEqualTo("/api/v1/files/inbox/local.txt");
        assertThat(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo("some data\n");
        assertThat(result.out()).startsWith("Stored inbox/local.txt (10 B");
    }

    @Test
    void getWritesTheFileOnceItsChecksumMatches() throws Exception {
        byte[] content = "result\n".getBytes(StandardCharsets.UTF_8);
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "out", "entries": [{"name": "r.txt", "path": "out/r.txt", "directory": false, "size": 7,
                 "sha256": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted(Sha256.of(content))));
        gateway.on("GET", "/api/v1/files/out/r.txt", FakeGateway.bytes(content));

        CliRunner.Result result = run("files", "get", "out/r.txt");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dir.resolve("r.txt")).hasBinaryContent(content);
        assertThat(result.out()).contains("SHA-256 checked");
    }

    @Test
    void getChecksTheCrc32cTheServerSendsBesideTheRecordedSha256() throws Exception {
        byte[] content = "result\n".getBytes(StandardCharsets.UTF_8);
        listOneFile(Sha256.of(content));
        gateway.on("GET", "/api/v1/files/r.txt", new FakeGateway.Response(200, "application/octet-stream", content,
                Map.of("X-Escadrille-SHA256", Sha256.of(content), "X-Escadrille-CRC32C", crc32c(content))));

        CliRunner.Result result = run("files", "get", "r.txt");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dir.resolve("r.txt")).hasBinaryContent(content);
        assertThat(result.out()).contains("CRC32C checked");
    }

    @Test
    void getRefusesBytesThatDoNotMatchTheSentCrc32cAndKeepsNothing() throws Exception {
        byte[] content = "result\n".getBytes(StandardCharsets.UTF_8);
        listOneFile(Sha256.of(content));
        // The SHA-256 would pass: only the CRC32C check can refuse these bytes.
        gateway.on("GET", "/api/v1/files/r.txt", new FakeGateway.Response(200, "application/octet-stream", content,
                Map.of("X-Escadrille-SHA256", Sha256.of(content), "X-Escadrille-CRC32C", "0badf00d")));

        CliRunner.Result result = run("files", "get", "r.txt");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("CRC32C");
        assertThat(dir.resolve("r.txt")).doesNotExist();
        assertThat(dir.resolve("r.txt.part")).doesNotExist();
    }

    @Test
    void aCrc32cSentBesideAnotherSha256ThanTheListedOneIsNotTrusted() throws Exception {
        byte[] content = "result\n".getBytes(StandardCharsets.UTF_8);
        listOneFile("0".repeat(64));
        // Replaced between the listing and the download: the CRC32C is of other bytes than those listed.
        gateway.on("GET", "/api/v1/files/r.txt", new FakeGateway.Response(200, "application/octet-stream", content,
                Map.of("X-Escadrille-SHA256", Sha256.of(content), "X-Escadrille-CRC32C", crc32c(content))));

        CliRunner.Result result = run("files", "get", "r.txt");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("SHA-256");
        assertThat(dir.resolve("r.txt")).doesNotExist();
    }

    private void listOneFile(String sha256) {
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "", "entries": [{"name": "r.txt", "path": "r.txt", "directory": false, "size": 7,
                 "sha256": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted(sha256)));
    }

    private static String crc32c(byte[] content) {
        var crc = new CRC32C();
        crc.update(content);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    @Test
    void getRefusesAFileWhoseBytesDoNotMatchTheRecordedChecksumAndKeepsNothing() {
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "", "entries": [{"name": "r.txt", "path": "r.txt", "directory": false, "size": 7,
                 "sha256": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted("0".repeat(64))));
        gateway.on("GET", "/api/v1/files/r.txt", FakeGateway.bytes("result\n".getBytes(StandardCharsets.UTF_8)));

        CliRunner.Result result = run("files", "get", "r.txt");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("SHA-256");
        assertThat(dir.resolve("r.txt")).doesNotExist();
    }

    @Test
    void getOntoADiskThatFillsUpKeepsNothingAndSaysTheDiskFailed() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "a Linux /dev/full: every write fails with ENOSPC");
        byte[] content = new byte[1024 * 1024];
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "", "entries": [{"name": "r.bin", "path": "r.bin", "directory": false, "size": %d,
                 "sha256": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted(content.length, Sha256.of(content))));
        gateway.on("GET", "/api/v1/files/r.bin", FakeGateway.bytes(content));
        // The partial file is a link to a device that is always full, as a disk that fills up mid-way.
        Files.createSymbolicLink(dir.resolve("r.bin.part"), full);

        CliRunner.Result result = run("files", "get", "r.bin");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("cannot write " + dir.resolve("r.bin.part")).contains("No space left");
        assertThat(dir.resolve("r.bin")).doesNotExist();
        assertThat(dir.resolve("r.bin.part")).doesNotExist();
    }

    @Test
    void getCutShortByTheNetworkKeepsNothingAndSaysTheConnectionFailed() throws Exception {
        byte[] content = new byte[1024 * 1024];
        gateway.on("GET", "/api/v1/files", FakeGateway.json(200, """
                {"path": "", "entries": [{"name": "r.bin", "path": "r.bin", "directory": false, "size": %d,
                 "sha256": "%s"}], "offset": 0, "total": 1, "next": null}""".formatted(content.length, Sha256.of(content))));
        try (ServerSocket store = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A storage that promises the whole file, sends a tenth of it and hangs up.
            Thread.ofVirtual().start(() -> {
                try (Socket socket = store.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + content.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(content, 0, content.length / 10);
                    out.flush();
                } catch (IOException e) {
                    // The test's assertions say what the client made of it.
                }
            });
            gateway.on("GET", "/api/v1/downloads/r.bin", FakeGateway.json(200, """
                    {"path": "r.bin", "size": %d, "sha256": "%s", "url": "http://127.0.0.1:%d/bucket/r.bin"}"""
                    .formatted(content.length, Sha256.of(content), store.getLocalPort())));

            CliRunner.Result result = run("files", "get", "r.bin");

            assertThat(result.exitCode()).isEqualTo(ExitCodes.SERVER_PROBLEM);
            assertThat(result.err()).contains("connection").contains("failed");
        }
        assertThat(dir.resolve("r.bin")).doesNotExist();
        assertThat(dir.resolve("r.bin.part")).doesNotExist();
    }

    @Test
    void rmDeletesThePath() {
        gateway.on("DELETE", "/api/v1/files/*", FakeGateway.json(204, ""));

        CliRunner.Result result = run("files", "rm", "old/run");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(gateway.requests("DELETE", "/api/v1/files/").getFirst().path()).isEqualTo("/api/v1/files/old/run");
        assertThat(result.out()).isEqualTo("Deleted old/run\n");
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = gateway.url().toString();
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, Map.of()), all);
    }
}
