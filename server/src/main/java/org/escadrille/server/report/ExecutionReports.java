package org.escadrille.server.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.boutiques.InputType;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.TaskView;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.scheduling.TaskSpec;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.expression.ThymeleafEvaluationContext;
import tools.jackson.databind.JsonNode;

/**
 * Renders an execution's report: one HTML file with its style inline and its charts as inline SVG, so
 * that it opens offline, from a mail or an archive, exactly as it was rendered. Whoever may read the
 * execution may have its report (its owner; an admin); anyone else finds neither. A report of a running
 * execution is a snapshot and says so.
 */
@Service
public class ExecutionReports {
    /** How much of a merged result the report quotes: a result such as pi's estimate is a few lines. */
    static final int MERGED_TEXT_BYTES = 4096;
    private static final List<String> TEXT_TYPES = List.of(".json", ".txt", ".csv", ".tsv", ".log", ".out", ".md");
    private final ExecutionService executions;
    private final TaskQueries tasks;
    private final PilotRegistry pilots;
    private final Catalog catalog;
    private final AccountService accounts;
    private final UserFiles files;
    private final ITemplateEngine templates;
    private final ApplicationContext context;
    private final Clock clock;
    private final String style;

    public ExecutionReports(ExecutionService executions, TaskQueries tasks, PilotRegistry pilots, Catalog catalog,
                            AccountService accounts, UserFiles files, ITemplateEngine templates,
                            ApplicationContext context, Clock clock) {
        this.executions = executions;
        this.tasks = tasks;
        this.pilots = pilots;
        this.catalog = catalog;
        this.accounts = accounts;
        this.files = files;
        this.templates = templates;
        this.context = context;
        this.clock = clock;
        this.style = portalStyle();
    }

    /** A rendered report and the name to save it under. */
    public record Report(String fileName, String html) {
        /** The report as a download: HTML, as an attachment named {@link #fileName()}. */
        public ResponseEntity<byte[]> asAttachment() {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName)
                            .build().toString())
                    .body(html.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** @throws NotFoundException when the execution does not exist or the caller may not read it */
    public Report of(Account caller, String id) {
        var execution = executions.read(caller, id);
        var taskViews = executions.tasks(caller, id);
        var pilotIds = taskViews.stream().flatMap(task -> task.attempts().stream()).map(TaskView.AttemptView::pilotId)
                .filter(Objects::nonNull).distinct().toList();
        var sites = new HashMap<String, String>();
        pilotIds.forEach(pilot -> pilots.siteOf(pilot).ifPresent(site -> sites.put(pilot, site)));
        // Merged results are read from the owner's space, as the execution page reads them: an admin gets none.
        boolean own = execution.owner().equals(caller.username());
        var contents = ReportContents.of(execution, taskViews, pilots.slotsOf(pilotIds), sites, inputFiles(execution),
                own ? mergedResults(caller, execution) : List.of(), clock.instant());
        var variables = new Context(Locale.ROOT);
        // Bean references (@formats, @footprintText) write figures exactly as the execution page does.
        variables.setVariable(ThymeleafEvaluationContext.THYMELEAF_EVALUATION_CONTEXT_CONTEXT_VARIABLE_NAME,
                new ThymeleafEvaluationContext(context, null));
        variables.setVariable("report", contents);
        variables.setVariable("style", style);
        return new Report(execution.id() + "-report.html", templates.process("report", variables));
    }

    /**
     * The execution's file inputs with the size and SHA-256 their tasks were given at launch (the file in
     * the owner's space may have changed since).
     */
    private List<ReportContents.InputFile> inputFiles(ExecutionView execution) {
        var staged = new HashMap<String, TaskSpec.StagedInput>();
        tasks.stagedInputs(execution.id()).forEach(input -> staged.put(input.storageKey(), input));
        var owner = accounts.findByUsername(execution.owner());
        Descriptor descriptor = Descriptor.parse(catalog.ranBy(execution.app(), execution.appVersion()).descriptorJson());
        var found = new ArrayList<ReportContents.InputFile>();
        for (var input : descriptor.inputs()) {
            if (input.type() != InputType.FILE) {
                continue;
            }
            for (String value : values(execution.inputs().get(input.id()))) {
                var file = owner.map(account -> staged.get(files.storageKey(account, UserPath.of(value))));
                found.add(new ReportContents.InputFile(input.id(), value, file.map(TaskSpec.StagedInput::size).orElse(null),
                        file.map(TaskSpec.StagedInput::sha256).orElse(null)));
            }
        }
        return found;
    }

    /** A value, or each of a list's (a sweep, or an input that takes a list). */
    private static List<String> values(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isArray()) {
            var all = new ArrayList<String>();
            value.forEach(element -> all.addAll(values(element)));
            return all;
        }
        return value.isString() ? List.of(value.asString()) : List.of();
    }

    private List<ReportContents.MergedResult> mergedResults(Account owner, ExecutionView execution) {
        var results = new ArrayList<ReportContents.MergedResult>();
        for (var output : execution.outputs()) {
            String name = output.path().toLowerCase(Locale.ROOT);
            if (!output.merged() || TEXT_TYPES.stream().noneMatch(name::endsWith)) {
                continue;
            }
            try (InputStream in = files.open(owner, UserPath.of(output.path()))) {
                byte[] head = in.readNBytes(MERGED_TEXT_BYTES);
                results.add(new ReportContents.MergedResult(output.path(), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.IGNORE)
                        .decode(ByteBuffer.wrap(head)).toString(), output.size() > head.length));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NotFoundException deletedSince) {
                // the owner deleted it from their space: the outputs table still lists its checksum
            }
        }
        return results;
    }

    /** The portal's own style sheet, inlined: the report looks like the execution page and needs no server. */
    private static String portalStyle() {
        try (InputStream in = new ClassPathResource("static/css/portal.css").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the portal's style sheet is missing from the server's resources", e);
        }
    }
}
