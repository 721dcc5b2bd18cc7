package org.escadrille.server.provenance;

import edu.kit.datamanager.ro_crate.RoCrate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.InputType;
import org.escadrille.server.ConflictException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Exports an ended execution as a Workflow Run RO-Crate in a ZIP: {@code ro-crate-metadata.json}, the
 * descriptor, the invocation, and the bytes of the small outputs. An output of more than
 * {@value #EMBED_FILE_BYTES} bytes, or one past {@value #EMBED_TOTAL_BYTES} bytes embedded in all, is
 * named with its size and SHA-256 but left out: it stays in the owner's space, and a crate stays small
 * enough to mail, to attach to a paper and to send back for a replay.
 */
@Service
public class CrateExport {
    static final long EMBED_FILE_BYTES = 256 * 1024;
    static final long EMBED_TOTAL_BYTES = 1024 * 1024;

    private final ExecutionService executions;
    private final Catalog catalog;
    private final TaskQueries taskQueries;
    private final UserFiles files;
    private final AccountService accounts;

    CrateExport(ExecutionService executions, Catalog catalog, TaskQueries taskQueries, UserFiles files,
                AccountService accounts) {
        this.executions = executions;
        this.catalog = catalog;
        this.taskQueries = taskQueries;
        this.files = files;
        this.accounts = accounts;
    }

    /** The crate of an execution the caller may read, ready to write; checked and gathered before any byte is sent. */
    public CrateZip crate(Account caller, String id) {
        var execution = executions.read(caller, id);
        if (!execution.status().isTerminal()) {
            throw new ConflictException("execution " + id + " is still " + execution.status()
                    + ": its RO-Crate is written once it has ended (wait for it, or kill it)");
        }
        var application = catalog.byDigest(execution.digest())
                .orElseThrow(() -> new NotFoundException("the descriptor of execution " + id + " is no longer in the catalogue"));
        var owner = caller.username().equals(execution.owner()) ? caller
                : accounts.findByUsername(execution.owner()).orElseThrow(() -> new NotFoundException("no execution " + id));
        var embedded = new HashSet<String>();
        long total = 0;
        for (var output : execution.outputs()) {
            if (output.size() <= EMBED_FILE_BYTES && total + output.size() <= EMBED_TOTAL_BYTES
                    && files.exists(owner, UserPath.of(output.path()))) {
                embedded.add(output.path());
                total += output.size();
            }
        }
        var sites = new LinkedHashMap<String, String>();
        taskQueries.attemptUsage(id).forEach((attempt, usage) -> {
            if (usage.site() != null) {
                sites.put(attempt, usage.site());
            }
        });
        var facts = new CrateFacts(execution, application, executions.tasks(caller, id), inputFiles(owner, application, execution),
                sites, escadrilleVersion(), embedded);
        return new CrateZip(owner, facts, ExecutionCrate.of(facts));
    }

    /** The files the execution's File inputs named (a folder: the files in it), as they are in the owner's space now. */
    private List<CrateFacts.InputFile> inputFiles(Account owner, Application application, ExecutionView execution) {
        var descriptor = Descriptor.parse(application.descriptorJson());
        var found = new LinkedHashMap<String, CrateFacts.InputFile>();
        descriptor.inputs().stream().filter(input -> input.type() == InputType.FILE).forEach(input -> {
            JsonNode value = execution.inputs().get(input.id());
            var paths = new ArrayList<String>();
            if (value != null && value.isString()) {
                paths.add(value.asString());
            } else if (value != null && value.isArray()) {
                value.forEach(element -> {
                    if (element.isString()) {
                        paths.add(element.asString());
                    }
                });
            }
            for (String path : paths) {
                addFile(owner, UserPath.of(path), execution.createdAt().toEpochMilli(), found);
            }
        });
        return List.copyOf(found.values());
    }

    private void addFile(Account owner, UserPath path, long launchedAtMs, Map<String, CrateFacts.InputFile> found) {
        try {
            if (files.isDirectory(owner, path)) {
                files.list(owner, path).stream().filter(entry -> !entry.directory()).forEach(entry ->
                        found.put(entry.path(), new CrateFacts.InputFile(entry.path(), entry.size(), entry.sha256(),
                                entry.modifiedAtMs() > launchedAtMs)));
                return;
            }
            var stored = files.stat(owner, path);
            found.put(path.value(), new CrateFacts.InputFile(path.value(), stored.size(), stored.sha256(),
                    stored.modifiedAtMs() > launchedAtMs));
        } catch (NotFoundException e) {
            // deleted since the launch: the crate can no longer vouch for it, and says nothing rather than guess
        }
    }

    static String escadrilleVersion() {
        String version = CrateExport.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    /** A crate ready to be written as a ZIP. */
    public final class CrateZip {
        private final Account owner;
        private final CrateFacts facts;
        private final RoCrate crate;

        private CrateZip(Account owner, CrateFacts facts, RoCrate crate) {
            this.owner = owner;
            this.facts = facts;
            this.crate = crate;
        }

        /** The name a download of it gets. */
        public String fileName() {
            return facts.execution().id() + "-crate.zip";
        }

        /** The JSON-LD of {@code ro-crate-metadata.json}. */
        public String metadata() {
            return crate.getJsonMetadata();
        }

        /** Writes the ZIP, streaming the embedded outputs from storage. */
        public void writeTo(OutputStream out) throws IOException {
            var zip = new ZipOutputStream(out);
            put(zip, CrateTerms.METADATA, ExecutionCrate.pretty(metadata()));
            put(zip, CrateTerms.DESCRIPTOR, facts.application().descriptorJson());
            put(zip, CrateTerms.INVOCATION, facts.execution().inputs().toPrettyString());
            Set<String> written = new HashSet<>();
            for (var output : facts.execution().outputs()) {
                String name = ExecutionCrate.entryName(facts.execution(), output);
                if (!facts.embedded().contains(output.path()) || !written.add(name)) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(name));
                try (InputStream content = files.open(owner, UserPath.of(output.path()))) {
                    content.transferTo(zip);
                }
                zip.closeEntry();
            }
            zip.finish();
        }

        private static void put(ZipOutputStream zip, String name, String content) throws IOException {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }
}
