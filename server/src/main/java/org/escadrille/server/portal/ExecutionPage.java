package org.escadrille.server.portal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.execution.ExecutionRerun;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.execution.LaunchRequest;
import org.escadrille.server.execution.TaskView;
import org.escadrille.server.scheduling.LogStore;
import org.escadrille.server.scheduling.PilotRegistry;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * One execution: a page whose live part (status, progress, timeline, tasks, outputs, plots) refreshes
 * itself while the execution runs, a log that follows the chosen task, and the kill, stop-and-merge
 * (Monte-Carlo runs) and re-run buttons.
 * Another user's execution is not found, like one that does not exist, except by an admin, who may read it
 * (its buttons then answer as for anyone else's).
 */
@Controller
class ExecutionPage {
    private final ExecutionService executions;
    private final OutputPlots plots;
    private final Catalog catalog;
    private final JsonMapper json;
    private final OutputPreviews previews;
    private final PilotRegistry pilots;
    private final Clock clock;
    private final ExecutionRerun reruns;

    ExecutionPage(ExecutionService executions, OutputPlots plots, Catalog catalog, JsonMapper json,
                  OutputPreviews previews, PilotRegistry pilots, ExecutionRerun reruns, Clock clock) {
        this.clock = clock;
        this.reruns = reruns;
        this.executions = executions;
        this.plots = plots;
        this.catalog = catalog;
        this.json = json;
        this.previews = previews;
        this.pilots = pilots;
    }

    @GetMapping("/executions/{id}")
    String page(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id, Model model) {
        model.addAttribute("details", details(account, id));
        model.addAttribute("log", new LogSelection(id, null, "stdout"));
        return "execution";
    }

    @GetMapping("/executions/{id}/live")
    String live(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id, Model model) {
        model.addAttribute("details", details(account, id));
        return "execution :: live";
    }

    /** The log panel for another task or stream: empty, then filled by {@link #logChunk}. */
    @GetMapping("/executions/{id}/logs")
    String logPanel(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                    @RequestParam(required = false) String task, @RequestParam(defaultValue = "stdout") String stream,
                    Model model) {
        model.addAttribute("details", details(account, id));
        model.addAttribute("log", new LogSelection(id, task, LogStore.LogStream.parse(stream).name().toLowerCase()));
        return "execution :: log-panel";
    }

    /** The log from {@code offset}: the text to append, and the poller for what comes next (none once complete). */
    @GetMapping("/executions/{id}/log")
    String logChunk(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                    @RequestParam(required = false) String task, @RequestParam(defaultValue = "stdout") String stream,
                    @RequestParam(defaultValue = "0") long offset, Model model) {
        var logStream = LogStore.LogStream.parse(stream);
        var chunk = executions.log(account, id, task, logStream, offset);
        int whole = wholeCharacters(chunk.bytes());
        model.addAttribute("text", new String(chunk.bytes(), 0, whole, StandardCharsets.UTF_8));
        model.addAttribute("next", new LogSelection(id, task, logStream.name().toLowerCase()).from(offset + whole));
        model.addAttribute("complete", chunk.complete() && whole == chunk.bytes().length);
        model.addAttribute("ran", chunk.ran());
        return "execution :: log-chunk";
    }

    /**
     * Kills the execution. From the page's htmx form the answer is its live part, re-rendered at once
     * (Killed, the tasks cancelled) and polling on until the pilots have ended the attempts; without
     * JavaScript, the page again.
     */
    @PostMapping("/executions/{id}/kill")
    String kill(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model,
                RedirectAttributes redirect) {
        executions.kill(account, id);
        return afterControl(account, id, htmx, model, redirect,
                "Execution killed: its running tasks are being cancelled and their results discarded.");
    }

    /** Stop and merge: a Monte-Carlo run ends now and what its tasks simulated is merged. */
    @PostMapping("/executions/{id}/stop")
    String stop(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                @RequestHeader(value = "HX-Request", required = false) String htmx, Model model,
                RedirectAttributes redirect) {
        executions.stop(account, id);
        return afterControl(account, id, htmx, model, redirect,
                "Stopping: the tasks upload what they simulated, which is then merged.");
    }

    private String afterControl(Account account, String id, String htmx, Model model, RedirectAttributes redirect,
                                String notice) {
        if (htmx != null) {
            model.addAttribute("details", details(account, id));
            model.addAttribute("liveNotice", notice);
            return "execution :: live";
        }
        redirect.addFlashAttribute("notice", notice);
        return "redirect:/executions/" + id;
    }

    /**
     * Launches the same application version with the same inputs (and the same split, for a Monte-Carlo
     * application); if that is refused, the launch form filled with them shows why.
     */
    @PostMapping("/executions/{id}/rerun")
    String rerun(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                 RedirectAttributes redirect) {
        var earlier = executions.view(account, id);
        var request = json.createObjectNode();
        request.put("app", earlier.app());
        request.put("version", earlier.appVersion());
        request.put("name", earlier.name());
        request.set("inputs", earlier.inputs());
        request.put("iterate", earlier.iterate());
        splitOf(earlier).ifPresent(split -> request.put("split", split));
        try {
            var again = executions.launch(account, json.treeToValue(request, LaunchRequest.class));
            redirect.addFlashAttribute("notice", "Re-run of " + earlier.id() + " launched.");
            return "redirect:/executions/" + again.id();
        } catch (InvalidRequestException | NotFoundException e) {
            redirect.addFlashAttribute("notice", "It cannot run again as it was: "
                    + e.getMessage() + ". Check the inputs below and launch.");
            redirect.addAttribute("version", earlier.appVersion());
            redirect.addAttribute("from", earlier.id());
            return "redirect:/apps/" + earlier.app();
        }
    }

    /**
     * Re-runs only what failed: a new execution where the tasks that succeeded reuse their outputs; if
     * that is refused (nothing failed, still running), this page says why.
     */
    @PostMapping("/executions/{id}/rerun-failed")
    String rerunFailed(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                       RedirectAttributes redirect) {
        try {
            var again = reruns.rerun(account, id, true);
            redirect.addFlashAttribute("notice", "Re-run of the failed tasks of " + id + " launched: the others reuse"
                    + " their outputs.");
            return "redirect:/executions/" + again.id();
        } catch (ConflictException e) {
            redirect.addFlashAttribute("notice", e.getMessage());
            return "redirect:/executions/" + id;
        }
    }

    /** How an execution was split: a Monte-Carlo run says; a Monte-Carlo application without a run was not split. */
    Optional<String> splitOf(ExecutionView execution) {
        if (execution.monteCarlo() != null) {
            return Optional.of(execution.monteCarlo().split());
        }
        var descriptor = Descriptor.parse(catalog.ranBy(execution.app(), execution.appVersion()).descriptorJson());
        return SubmittedValues.isMonteCarlo(descriptor) ? Optional.of("none") : Optional.empty();
    }

    private ExecutionDetails details(Account account, String id) {
        var execution = executions.read(account, id);
        var tasks = executions.tasks(account, id);
        var pilotIds = tasks.stream().flatMap(task -> task.attempts().stream()).map(TaskView.AttemptView::pilotId)
                .filter(Objects::nonNull).toList();
        // plots and previews read the outputs from the reader's own space: an admin reading another's gets none
        boolean own = execution.owner().equals(account.username());
        return ExecutionDetails.of(execution, tasks, pilots.slotsOf(pilotIds),
                own ? plots.of(account, execution) : List.of(), own ? previews.of(account, execution) : List.of(),
                clock.instant());
    }

    /** Which log the panel follows, and from where. */
    record LogSelection(String executionId, String task, String stream, long offset) {
        LogSelection(String executionId, String task, String stream) {
            this(executionId, task, stream, 0);
        }

        LogSelection from(long next) {
            return new LogSelection(executionId, task, stream, next);
        }

    public Map<String, Object> query() {
            var query = new LinkedHashMap<String, Object>();
            if (task != null) {
                query.put("task", task);
            }
            query.put("stream", stream);
            query.put("offset", offset);
            return query;
        }
    }

    /** How many leading bytes are whole UTF-8 characters: a chunk may end inside one, which the next chunk completes. */
    static int wholeCharacters(byte[] bytes) {
        int end = bytes.length;
        int i = end - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (bytes[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return end;
        }
        int lead = bytes[i] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return length > continuation + 1 ? i : end;
    }
}
