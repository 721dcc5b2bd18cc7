package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.execution.ExecutionService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * An application's launch form, generated from its descriptor; a preview of what a launch would do
 * (task count, first command line) as the form changes; and the launch itself. A refused launch comes
 * back as the same form with every value kept and each problem next to its field.
 */
@Controller
class LaunchPage {
    private final Catalog catalog;
    private final ExecutionService executions;
    private final UserFileChoices fileChoices;

    private final JsonMapper json;

    LaunchPage(Catalog catalog, ExecutionService executions, UserFileChoices fileChoices, JsonMapper json) {
        this.catalog = catalog;
        this.executions = executions;
        this.fileChoices = fileChoices;
        this.json = json;
    }

    /** The form; {@code from}: an earlier execution whose inputs fill it (re-run with changes). */
    @GetMapping("/apps/{name}")
    String form(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String name,
                @RequestParam(required = false) String version, @RequestParam(required = false) String from, Model model) {
        var app = catalog.find(name, version, account);
        var descriptor = Descriptor.parse(app.descriptorJson());
        SubmittedValues values = SubmittedValues.empty(app.version());
        if (from != null && !from.isBlank()) {
            var earlier = executions.view(account, from);
            values = SubmittedValues.of(earlier.name(), app.version(), earlier.iterate(),
                    earlier.monteCarlo() == null ? "" : earlier.monteCarlo().split(), earlier.inputs(), descriptor);
        }
        model.addAttribute("form", LaunchForm.of(app, descriptor, values, FieldErrors.NONE, fileChoices.of(account)));
        return "launch";
    }

    @PostMapping("/apps/{name}/launch")
    String launch(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String name,
                  @RequestParam MultiValueMap<String, String> fields, Model model, HttpServletResponse response) {
        var values = SubmittedValues.from(fields);
        var app = catalog.find(name, values.version(), account);
        var descriptor = Descriptor.parse(app.descriptorJson());
        FieldErrors errors;
        try {
            var execution = executions.launch(account, values.toRequest(app.name(), descriptor, json));
            return "redirect:/executions/" + execution.id();
        } catch (InvalidRequestException e) {
            errors = FieldErrors.of(e, descriptor);
        } catch (NotFoundException e) {
            errors = FieldErrors.missingFile(e.getMessage(), descriptor, values);
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("form", LaunchForm.of(app, descriptor, values, errors, fileChoices.of(account)));
        return "launch";
    }

    /** The preview box: how many tasks, and the first command line; or what stands in the way. */
    @PostMapping("/apps/{name}/preview")
    String preview(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String name,
                   @RequestParam MultiValueMap<String, String> fields, Model model) {
        var values = SubmittedValues.from(fields);
        Application app = catalog.find(name, values.version(), account);
        var descriptor = Descriptor.parse(app.descriptorJson());
        FieldErrors errors = FieldErrors.NONE;
        try {
            model.addAttribute("preview", executions.preview(account, values.toRequest(app.name(), descriptor, json)));
        } catch (InvalidRequestException e) {
            errors = FieldErrors.of(e, descriptor);
        } catch (NotFoundException e) {
            errors = FieldErrors.missingFile(e.getMessage(), descriptor, values);
        }
        model.addAttribute("problems", LaunchForm.of(app, descriptor, values, errors, List.of()).summary());
        return "launch :: preview";
    }
}
