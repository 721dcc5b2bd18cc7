package org.escadrille.server.provenance;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edu.kit.datamanager.ro_crate.RoCrate;
import edu.kit.datamanager.ro_crate.entities.AbstractEntity;
import edu.kit.datamanager.ro_crate.reader.ReaderStrategy;
import edu.kit.datamanager.ro_crate.reader.RoCrateReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.escadrille.server.InvalidRequestException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a crate back with ro-crate-java's {@link RoCrateReader}, from its metadata alone. The
 * library's own ZIP reader is not used: it extracts every entry into {@code ./temp} of the working
 * directory and empties that folder first, which in a server would let two reads clobber each other
 * and unpack whatever a user sends; here only {@code ro-crate-metadata.json} is read from the ZIP,
 * bounded, and handed to the library.
 */
final class CrateReading {
    static final int MAX_METADATA_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HOW = "a Workflow Run RO-Crate of an execution, as escadrille get ID --crate or"
            + " GET /api/v1/executions/{id}/crate gives it";

    private CrateReading() {
    }

    /** The metadata of a crate's ZIP. @throws InvalidRequestException when it is not a ZIP or has no metadata */
    static byte[] metadataOfZip(InputStream zip) {
        try (var entries = new ZipInputStream(zip)) {
            var entry = entries.getNextEntry();
            if (entry == null) {
                throw invalid("this is not a ZIP archive; send " + HOW);
            }
            for (; entry != null; entry = entries.getNextEntry()) {
                String name = entry.getName();
                if (name.equals(CrateTerms.METADATA) || name.endsWith("/" + CrateTerms.METADATA) && name.indexOf('/') == name.lastIndexOf('/')) {
                    byte[] metadata = entries.readNBytes(MAX_METADATA_BYTES + 1);
                    if (metadata.length > MAX_METADATA_BYTES) {
                        throw invalid(CrateTerms.METADATA + " is over " + MAX_METADATA_BYTES + " bytes");
                    }
                    return metadata;
                }
            }
            throw invalid("the ZIP holds no " + CrateTerms.METADATA + ": it is not an RO-Crate; send " + HOW);
        } catch (ZipException e) {
            throw invalid("this is not a readable ZIP archive (" + e.getMessage() + "); send " + HOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a replay needs, from a crate's {@code ro-crate-metadata.json}. */
    static RecordedRun read(byte[] metadataJson, JsonMapper json) {
        JsonNode metadata;
        try {
            metadata = MAPPER.readTree(metadataJson);
        } catch (JacksonException e) {
            throw invalid(CrateTerms.METADATA + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (metadata == null || !metadata.isObject() || !metadata.has("@context") || !metadata.path("@graph").isArray()) {
            throw invalid(CrateTerms.METADATA + " is not RO-Crate metadata: it needs an @context and an @graph array");
        }
        RoCrate crate = readWithLibrary((ObjectNode) metadata);
        var root = crate.getRootDataEntity();
        if (root == null || !mentions(root.getProperty("conformsTo"), CrateTerms.PROCESS_RUN_CRATE)) {
            throw invalid("the crate does not conform to the Process Run Crate profile (" + CrateTerms.PROCESS_RUN_CRATE
                    + "); send " + HOW);
        }
        var application = crate.getContextualEntityById(CrateTerms.APPLICATION);
        String identifier = text(application, "identifier");
        if (application == null || identifier == null || !identifier.startsWith("sha256:")) {
            throw invalid("the crate names no application by its digest (an entity " + CrateTerms.APPLICATION
                    + " with identifier sha256:...); it was not written by Escadrille");
        }
        var inputs = new LinkedHashMap<String, tools.jackson.databind.JsonNode>();
        var shares = new ArrayList<RecordedRun.Share>();
        for (var entity : crate.getAllContextualEntities()) {
            if (is(entity, "PropertyValue") && entity.getId().startsWith("#input-")) {
                JsonNode value = entity.getProperty("value");
                inputs.put(text(entity, "name"), json.readTree(value == null ? "null" : value.toString()));
            }
            if (is(entity, "CreateAction") && entity.getProperty("seed") != null
                    && entity.getProperty("events") != null) {
                shares.add(new RecordedRun.Share(entity.getId(), entity.getProperty("taskIndex") == null ? shares.size()
                        : entity.getProperty("taskIndex").asInt(),
                        entity.getProperty("seed").asLong(), entity.getProperty("events").asLong()));
            }
        }
        shares.sort(Comparator.comparingInt(RecordedRun.Share::index));
        var files = new ArrayList<CrateFacts.InputFile>();
        for (var entity : crate.getAllDataEntities()) {
            if (entity.getId().startsWith("inputs/") && text(entity, "userPath") != null) {
                files.add(new CrateFacts.InputFile(text(entity, "userPath"),
                        Long.parseLong(text(entity, "contentSize") == null ? "0" : text(entity, "contentSize")),
                        text(entity, "sha256"), "true".equals(text(entity, "changedAfterLaunch"))));
            }
        }
        return new RecordedRun(text(root, "identifier"), text(root, "name"), text(application, "name"),
                text(application, "softwareVersion"), identifier.substring("sha256:".length()), inputs,
                text(root, "iterate"), text(root, "split"), shares, files);
    }

    /** The library's reader, given the metadata and an empty folder for the content it would look for files in. */
    private static RoCrate readWithLibrary(ObjectNode metadata) {
        Path empty;
        try {
            empty = Files.createTempDirectory("escadrille-crate");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new RoCrateReader(new ReaderStrategy() {
                @Override
                public ObjectNode readMetadataJson(String location) {
                    return metadata;
                }

                @Override
                public File readContent(String location) {
                    return empty.toFile();
                }
            }).readCrate(empty.toString());
        } catch (RuntimeException e) {
            throw invalid(CrateTerms.METADATA + " is not RO-Crate metadata the reader understands ("
                    + e.getClass().getSimpleName() + "): it needs a metadata descriptor about a root dataset");
        } finally {
            empty.toFile().delete();
        }
    }

    private static boolean mentions(JsonNode value, String id) {
        if (value == null) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (mentions(element, id)) {
                    return true;
                }
            }
            return false;
        }
        return id.equals(value.isObject() ? value.path("@id").asText() : value.asText());
    }

    /** Whether the entity is of that type (the library leaves the types of some entities it reads null). */
    private static boolean is(AbstractEntity entity, String type) {
        if (entity.getTypes() != null && entity.getTypes().contains(type)) {
            return true;
        }
        JsonNode types = entity.getProperty("@type");
        return types != null && (types.isArray() ? types.toString().contains("\"" + type + "\"") : type.equals(types.asText()));
    }

    private static String text(AbstractEntity entity, String property) {
        if (entity == null) {
            return null;
        }
        JsonNode value = entity.getProperty(property);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static InvalidRequestException invalid(String detail) {
        return new InvalidRequestException("Invalid RO-Crate", detail);
    }
}
