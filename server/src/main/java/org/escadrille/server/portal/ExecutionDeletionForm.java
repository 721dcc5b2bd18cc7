package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
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
    private final AuditLog audit;

    ExecutionDeletionForm(ExecutionDeletion deletion, AuditLog audit) {
        this.deletion = deletion;
        this.audit = audit;
    }

    @PostMapping("/executions/{id}/delete")
    String delete(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                  @RequestParam(defaultValue = "false") boolean deleteFiles, RedirectAttributes redirect, HttpServletRequest request) {
        deletion.delete(account, id, deleteFiles);
        audit.record(account.username(), deleteFiles ? "execution-deleted-with-files" : "execution-deleted", id,
                request.getRemoteAddr());
        redirect.addFlashAttribute("notice", "Execution " + id + " deleted" + (deleteFiles ? " with its outputs." : "; "
                + "its outputs stay in your files, under executions/" + id + "."));
        return "redirect:/executions";
    }
}
