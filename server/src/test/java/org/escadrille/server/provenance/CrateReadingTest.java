package org.escadrille.server.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.escadrille.server.InvalidRequestException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a replay reads of a crate, and the 400s that say what is wrong with one it cannot read. */
class CrateReadingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CRATE = """
            {"@context": ["https://w3id.org/ro/crate/1.1/context", {"seed": "https://w3id.org/escadrille/terms#seed"}],
             "@graph": [
              {"@id": "ro-crate-metadata.json", "@type": "CreativeWork", "about": {"@id": "./"},
               "conformsTo": {"@id": "https://w3id.org/ro/crate/1.1"}},
              {"@id": "./", "@type": "Dataset", "name": "pi run", "identifier": "e1", "iterate": "cross", "split": "dynamic",
               "conformsTo": [{"@id": "https://w3id.org/ro/wfrun/process/0.5"}],
               "hasPart": [{"@id": "inputs/data/a.txt"}]},
              {"@id": "inputs/data/a.txt", "@type": "File", "userPath": "data/a.txt", "contentSize": "3", "sha256": "abc"},
              {"@id": "#application", "@type": "SoftwareApplication", "name": "pi", "softwareVersion": "1.0",
               "identifier": "sha256:%s"},
              {"@id": "#input-events", "@type": "PropertyValue", "name": "events", "value": 1000},
              {"@id": "#input-label", "@type": "PropertyValue", "name": "label", "value": "x"},
              {"@id": "#task-b", "@type": "CreateAction", "taskIndex": 1, "seed": 8, "events": 400},
              {"@id": "#task-a", "@type": "CreateAction", "taskIndex": 0, "seed": 7, "events": 600}
             ]}""".formatted("d".repeat(64));

    @Test
    void readsTheApplicationInputsFilesAndSharesInTaskOrder() {
        var run = CrateReading.read(CRATE.getBytes(StandardCharsets.UTF_8), JSON);

        assertThat(run.executionId()).isEqualTo("e1");
        assertThat(run.app()).isEqualTo("pi");
        assertThat(run.version()).isEqualTo("1.0");
        assertThat(run.digest()).isEqualTo("d".repeat(64));
        assertThat(run.inputs().get("events").asLong()).isEqualTo(1000);
        assertThat(run.inputs().get("label").asString()).isEqualTo("x");
        assertThat(run.inputFiles()).containsExactly(new CrateFacts.InputFile("data/a.txt", 3, "abc", false));
        assertThat(run.shares()).extracting(RecordedRun.Share::seed).containsExactly(7L, 8L);
        assertThat(run.shares()).extracting(RecordedRun.Share::events).containsExactly(600L, 400L);
    }

    @Test
    void aBodyThatIsNotAZipOrHoldsNoMetadataIsRefusedSayingSo() throws IOException {
        assertThatThrownBy(() -> CrateReading.metadataOfZip(new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a ZIP archive");
        assertThatThrownBy(() -> CrateReading.metadataOfZip(new ByteArrayInputStream(zipOf("readme.txt", "hi"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("holds no ro-crate-metadata.json");
        assertThat(CrateReading.metadataOfZip(new ByteArrayInputStream(zipOf("ro-crate-metadata.json", "{}")))).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void metadataThatIsNoEscadrilleProcessRunCrateIsRefusedSayingWhatIsMissing() {
        assertThatThrownBy(() -> read("not json"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> read("{\"foo\": 1}"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("@graph");
        assertThatThrownBy(() -> read(CRATE.replace("https://w3id.org/ro/wfrun/process/0.5", "https://example.org/other")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Process Run Crate");
        assertThatThrownBy(() -> read(CRATE.replace("\"identifier\": \"sha256:", "\"identifier\": \"md5:")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("digest");
    }

    private static RecordedRun read(String metadata) {
        return CrateReading.read(metadata.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static byte[] zipOf(String name, String content) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
