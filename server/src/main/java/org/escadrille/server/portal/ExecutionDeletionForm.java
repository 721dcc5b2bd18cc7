package org.escadrille.server.portal;

import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionDeletion;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The execution page's delete button (behind a confirmation): back to the list, which no longer shows it. */
@Controller
class ExecutionDeletionForm {
    private final ExecutionDeletion deletion;

    ExecutionDeletionForm(ExecutionDeletion deletion) {
        this.deletion = deletion;
    }

    @PostMapping("/executions/{id}/delete")
    String delete(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                  @RequestParam(defaultValue = "false") boolean deleteFiles, RedirectAttributes redirect) {
        deletion.delete(account, id, deleteFiles);
        redirect.addFlashAttribute("notice", "Execution " + id + " deleted" + (deleteFiles ? " with its outputs." : "; "
                + "its outputs stay in your files, under executions/" + id + "."));
        return "redirect:/executions";
    }
}
