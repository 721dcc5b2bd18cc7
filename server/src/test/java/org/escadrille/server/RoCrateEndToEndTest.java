package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import edu.kit.datamanager.ro_crate.RoCrate;
import edu.kit.datamanager.ro_crate.reader.FolderReader;
import edu.kit.datamanager.ro_crate.reader.RoCrateReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.scheduling.PilotRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Provenance end to end (docs/provenance.md): an ended execution's Workflow Run RO-Crate holds what the
 * Process Run Crate profile requires and what ro-crate-java reads back, and a replay from it gives
 * bit-identical outputs, for the Monte-Carlo pi and dose (their seeds and shares) and a Debian tool.
 */
@Tag("e2e")
class RoCrateEndToEndTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String PROFILE = "https://w3id.org/ro/wfrun/process/0.5";
    private static TestServer server;
    private static Researcher alice;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path scratch;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(true).property("escadrille.local.pilots", "2")
                .property("escadrille.local.slots", "1").start();
        alice = Researcher.of(server, "alice");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.bean(PilotRegistry.class).liveSlots(10_000) == 2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void piCrateHoldsTheProfilesEntitiesAndItsReplayIsBitIdentical() throws IOException {
        // given a dynamic Monte-Carlo run of pi that has ended
        String id = alice.launch(Map.of("app", "pi", "inputs", Map.of("events", "200000000", "seed", 5)));
        JsonNode execution = alice.awaitEnd(id, LIMIT);
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");

        // when its crate is downloaded and read back by ro-crate-java
        byte[] zip = crate(id);
        RoCrate crate = readWithTheLibrary(zip);

        // then it is a Process Run Crate of that execution
        assertThat(crate.getRootDataEntity().getProperty("conformsTo").toString()).contains(PROFILE);
        var application = crate.getContextualEntityById("#application");
        assertThat(application.getProperty("@type").toString()).contains("SoftwareApplication");
        assertThat(application.getProperty("identifier").asText()).isEqualTo("sha256:" + execution.path("digest").asString());
        byte[] descriptor = entry(zip, "descriptor.json");
        assertThat(Sha256.of(descriptor)).isEqualTo(execution.path("digest").asString());
        JsonNode tasks = alice.tasks(id);
        var actions = crate.getAllContextualEntities().stream()
                .filter(e -> e.getProperty("@type").toString().contains("CreateAction") && e.getId().startsWith("#task-")).toList();
        assertThat(actions).hasSize(tasks.size());
        for (var action : actions) {
            assertThat(action.getProperty("instrument").path("@id").asText()).isEqualTo("#application");
            assertThat(action.getProperty("commandLine").asText()).startsWith("escadrille-pi --events ");
            assertThat(action.getProperty("seed")).isNotNull();
            assertThat(action.getProperty("startTime")).isNotNull();
            assertThat(action.getProperty("object")).isNotNull();
            for (String attempt : ids(action.getProperty("attempt"))) {
                var tried = crate.getContextualEntityById(attempt);
                assertThat(tried.getProperty("host").asText()).isNotBlank();
                assertThat(tried.getProperty("site")).isNotNull();
                assertThat(tried.getProperty("cpuSeconds")).isNotNull();
                assertThat(tried.getProperty("energyWh")).isNotNull();
            }
            for (String result : ids(action.getProperty("result"))) {
                var file = crate.getDataEntityById(result);
                assertThat(file.getProperty("@type").toString()).contains("File");
                assertThat(Sha256.of(entry(zip, URI.create(result).getPath()))).as(result)
                        .isEqualTo(file.getProperty("sha256").asText());
            }
        }
        for (JsonNode output : execution.path("outputs")) {
            String name = "outputs/" + output.path("path").asString().substring(execution.path("outputDir").asString().length() + 1);
            assertThat(crate.getDataEntityById(name).getProperty("sha256").asText()).isEqualTo(output.path("sha256").asString());
        }
        assertThat(crate.getContextualEntityById("#escadrille").getProperty("softwareVersion")).isNotNull();

        // and a replay from it merges to the same bits
        assertThat(mergedChecksums(replay(zip))).isEqualTo(mergedChecksums(execution)).isNotEmpty();
    }

    @Test
    void doseReplayedFromItsCrateGivesTheSameHistogramAndSummary() {
        String id = alice.launch(Map.of("app", "dose", "inputs", Map.of("events", "2000000", "seed", 9)));
        JsonNode execution = alice.awaitEnd(id, LIMIT);
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");

        JsonNode replayed = replay(crate(id));

        assertThat(mergedChecksums(replayed)).isEqualTo(mergedChecksums(execution)).hasSize(2);
    }

    @Test
    void aDebianToolReplayedFromItsCrateGivesTheSameOutputAndAChangedInputIsRefused() throws IOException {
        // given gzip run on a file of alice's
        byte[] text = "provenance, or where a result came from\n".repeat(500).getBytes(StandardCharsets.UTF_8);
        alice.upload("inbox/crate-notes.txt", text);
        String id = alice.launch(Map.of("app", "gzip", "inputs", Map.of("input", "inbox/crate-notes.txt", "level", 9)));
        JsonNode execution = alice.awaitEnd(id, LIMIT);
        assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
        byte[] zip = crate(id);

        // the crate names the input with its checksum, and the replay writes the same bytes
        RoCrate crate = readWithTheLibrary(zip);
        assertThat(crate.getDataEntityById("inputs/inbox/crate-notes.txt").getProperty("sha256").asText())
                .isEqualTo(Sha256.of(text));
        JsonNode replayed = replay(zip);
        assertThat(checksums(replayed)).isEqualTo(checksums(execution)).hasSize(1);

        // when the input changes, the crate is refused, naming it
        alice.upload("inbox/crate-notes.txt", "something else\n".getBytes(StandardCharsets.UTF_8));
        var refused = alice.api().send("POST", "/api/v1/executions/replay", "application/zip", zip);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("inbox/crate-notes.txt").contains("changed");
        // and a crate made after the change says so, and cannot be replayed either
        byte[] later = crate(id);
        assertThat(readWithTheLibrary(later).getDataEntityById("inputs/inbox/crate-notes.txt")
                .getProperty("changedAfterLaunch").asBoolean()).isTrue();
        var refusedLater = alice.api().send("POST", "/api/v1/executions/replay", "application/zip", later);
        assertThat(refusedLater.status()).as(refusedLater.body()).isEqualTo(409);
        assertThat(refusedLater.body()).contains("inbox/crate-notes.txt").contains("written again after");
    }

    @Test
    void badCratesAreRefusedWithAMessage() throws IOException {
        var notAZip = alice.api().send("POST", "/api/v1/executions/replay", "application/zip",
                "just text".getBytes(StandardCharsets.UTF_8));
        assertThat(notAZip.status()).as(notAZip.body()).isEqualTo(400);
        assertThat(notAZip.body()).contains("not a ZIP");

        var noMetadata = alice.api().send("POST", "/api/v1/executions/replay", "application/zip",
                zipOf(Map.of("readme.txt", "hello")));
        assertThat(noMetadata.status()).as(noMetadata.body()).isEqualTo(400);
        assertThat(noMetadata.body()).contains("ro-crate-metadata.json");

        String id = alice.launch(Map.of("app", "pi", "inputs", Map.of("events", "1000000", "seed", 3)));
        alice.awaitEnd(id, LIMIT);
        String metadata = new String(entry(crate(id), "ro-crate-metadata.json"), StandardCharsets.UTF_8);
        String unknown = "0".repeat(64);
        var unknownDigest = alice.api().send("POST", "/api/v1/executions/replay", "application/zip",
                zipOf(Map.of("ro-crate-metadata.json", metadata.replaceAll("sha256:[0-9a-f]{64}", "sha256:" + unknown))));
        assertThat(unknownDigest.status()).as(unknownDigest.body()).isEqualTo(409);
        assertThat(unknownDigest.body()).contains("sha256:" + unknown).contains("publish");
    }

    @Test
    void aRunningExecutionHasNoCrateYet() {
        String id = alice.launch(Map.of("app", "pi", "inputs", Map.of("events", "400000000000", "seed", 4)));

        var early = alice.api().get("/api/v1/executions/" + id + "/crate");

        assertThat(early.status()).as(early.body()).isEqualTo(409);
        assertThat(early.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(early.body()).contains("once it has ended");
        alice.api().post("/api/v1/executions/" + id + "/kill", "");
        alice.awaitEnd(id, LIMIT);
        var other = Researcher.of(server, "bob").api().get("/api/v1/executions/" + id + "/crate");
        assertThat(other.status()).isEqualTo(404);
    }

    private JsonNode replay(byte[] zip) {
        var launched = alice.api().send("POST", "/api/v1/executions/replay", "application/zip", zip);
        assertThat(launched.status()).as(launched.body()).isEqualTo(201);
        JsonNode replayed = alice.awaitEnd(launched.json().path("id").asString(), LIMIT);
        assertThat(replayed.path("status").asString()).as(replayed.toString()).isEqualTo("Finished");
        return replayed;
    }

    private static byte[] crate(String id) {
        var request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/executions/" + id + "/crate"))
                .header("apikey", alice.api().apiKey()).GET().build();
        try {
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The crate read by ro-crate-java's own reader, from the ZIP unpacked in a folder of this test's. */
    private RoCrate readWithTheLibrary(byte[] zip) throws IOException {
        Path folder = Files.createTempDirectory(scratch, "crate");
        try (var entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = folder.resolve(entry.getName()).normalize();
                assertThat(target.startsWith(folder)).as(entry.getName()).isTrue();
                Files.createDirectories(target.getParent());
                Files.write(target, entries.readAllBytes());
            }
        }
        return new RoCrateReader(new FolderReader()).readCrate(folder.toString());
    }

    private static byte[] entry(byte[] zip, String name) {
        try (var entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return entries.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no " + name + " in the crate");
    }

    private static byte[] zipOf(Map<String, String> entries) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static List<String> ids(com.fasterxml.jackson.databind.JsonNode value) {
        var ids = new ArrayList<String>();
        if (value == null) {
            return ids;
        }
        if (value.isArray()) {
            value.forEach(element -> ids.add(element.path("@id").asText()));
        } else {
            ids.add(value.path("@id").asText());
        }
        return ids;
    }

    /** Each merged output's checksum, by output id. */
    private static Map<String, String> mergedChecksums(JsonNode execution) {
        var sums = new TreeMap<String, String>();
        execution.path("outputs").forEach(output -> {
            if (output.path("merged").asBoolean()) {
                sums.put(output.path("outputId").asString(), output.path("sha256").asString());
            }
        });
        return sums;
    }

    /** Each output's checksum, by its path inside the execution's folder. */
    private static Map<String, String> checksums(JsonNode execution) {
        var sums = new TreeMap<String, String>();
        String folder = execution.path("outputDir").asString();
        execution.path("outputs").forEach(output ->
                sums.put(output.path("path").asString().substring(folder.length()), output.path("sha256").asString()));
        return sums;
    }
}
