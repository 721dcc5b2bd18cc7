package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.escadrille.server.Page;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.execution.ExecutionFolders;
import org.escadrille.server.storage.StorageQuotas;
import org.escadrille.server.storage.TransferMeter;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The data manager: the user's space, one folder at a time (folders first), with new folders,
 * downloads and deletion; an execution's folder links back to the execution. Uploads stream in through {@link FileUploads}, one request per file.
 */
@Controller
class DataManagerPage {
    private final UserFiles files;
    private final ExecutionFolders executionFolders;
    private final FilePreviews previews;
    private final TransferMeter meter;
    private final StorageQuotas quotas;

    DataManagerPage(UserFiles files, ExecutionFolders executionFolders, FilePreviews previews, TransferMeter meter,
                    StorageQuotas quotas) {
        this.meter = meter;
        this.quotas = quotas;
        this.files = files;
        this.executionFolders = executionFolders;
        this.previews = previews;
    }

    @GetMapping("/files")
    String folder(@AuthenticationPrincipal(expression = "account") Account account,
                  @RequestParam(defaultValue = "") String dir, @RequestParam(defaultValue = "1") int page, Model model) {
        return page(account, UserPath.of(dir), page, model, "");
    }

    /** The listing alone, refreshed after uploads. */
    @GetMapping("/files/listing")
    String listing(@AuthenticationPrincipal(expression = "account") Account account,
                   @RequestParam(defaultValue = "") String dir, @RequestParam(defaultValue = "1") int page, Model model) {
        page(account, UserPath.of(dir), page, model, "");
        return "files :: listing";
    }

    @PostMapping("/files/folders")
    String newFolder(@AuthenticationPrincipal(expression = "account") Account account,
                     @RequestParam(defaultValue = "") String dir, @RequestParam(defaultValue = "") String name,
                     Model model, RedirectAttributes redirect, HttpServletResponse response) {
        var parent = UserPath.of(dir);
        try {
            if (name.isBlank()) {
                throw new InvalidRequestException("Invalid name", "give the new folder a name");
            }
            var folder = UserPath.of(parent.value() + "/" + name.strip());
            files.makeDirectory(account, folder);
            redirect.addFlashAttribute("notice", "Folder " + folder.value() + " created.");
            redirect.addAttribute("dir", parent.value());
            return "redirect:/files";
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("folderError", PortalExceptionHandler.capitalized(e.getMessage()) + ".");
            return page(account, parent, 1, model, name);
        }
    }

    @PostMapping("/files/delete")
    String delete(@AuthenticationPrincipal(expression = "account") Account account, @RequestParam String path,
                  RedirectAttributes redirect) {
        var target = UserPath.of(path);
        files.delete(account, target);
        redirect.addFlashAttribute("notice", target.value() + " deleted.");
        redirect.addAttribute("dir", target.parent().value());
        return "redirect:/files";
    }

    /**
     * A file: opened in the browser when it is text, JSON, CSV or an image (sandboxed, and with its type
     * never sniffed into something else), else and with {@code ?download=1} downloaded.
     */
    @GetMapping("/files/download/{*path}")
    ResponseEntity<InputStreamResource> download(@AuthenticationPrincipal(expression = "account") Account account,
                                                 @PathVariable String path,
                                                 @RequestParam(defaultValue = "") String download) {
        var file = UserPath.of(path);
        var stat = files.stat(account, file);
        var headers = new HttpHeaders();
        var inline = download.isEmpty() ? FileTypes.inline(stat.name()) : Optional.<MediaType>empty();
        var disposition = inline.isPresent() ? ContentDisposition.inline() : ContentDisposition.attachment();
        headers.setContentDisposition(disposition.filename(stat.name(), StandardCharsets.UTF_8).build());
        headers.set("X-Content-Type-Options", "nosniff");
        inline.ifPresent(type -> headers.set("Content-Security-Policy", FileTypes.SANDBOX));
        return ResponseEntity.ok().headers(headers).contentType(inline.orElse(MediaType.APPLICATION_OCTET_STREAM))
                .contentLength(stat.size()).body(new InputStreamResource(meter.sending(files.open(account, file))));
    }

    /** The preview pane's content for a file: an image, or the beginning of a text. */
    @GetMapping("/files/preview/{*path}")
    String preview(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String path,
                   Model model) {
        model.addAttribute("preview", previews.of(account, UserPath.of(path)));
        return "preview :: pane";
    }

    /** Entries of a folder on one page: folders first, then files, by name. */
    static final int PAGE_SIZE = 200;

    private String page(Account account, UserPath dir, int page, Model model, String folderName) {
        if (!files.isDirectory(account, dir)) {
            throw new NotFoundException("no folder '" + dir.value() + "' in your space");
        }
        var entries = new ArrayList<>(files.list(account, dir));
        entries.sort(Comparator.comparing((UserFiles.Listing e) -> !e.directory()).thenComparing(UserFiles.Listing::name));
        model.addAttribute("dir", dir.value());
        model.addAttribute("parent", dir.isRoot() ? null : dir.parent().value());
        model.addAttribute("crumbs", crumbs(dir));
        var shown = Page.of(entries, Pager.offset(page, PAGE_SIZE), PAGE_SIZE);
        model.addAttribute("entries", shown.items());
        model.addAttribute("pager", Pager.of(shown, PAGE_SIZE));
        model.addAttribute("folderName", folderName);
        model.addAttribute("origin", executionFolders.origin(account, dir).orElse(null));
        model.addAttribute("bytesUsed", files.bytesUsed(account));
        model.addAttribute("storage", quotas.usage(account));
        return "files";
    }

    /** One link per folder from the home down to {@code dir}. */
    private static List<Crumb> crumbs(UserPath dir) {
        var crumbs = new ArrayList<Crumb>();
        for (var at = dir; !at.isRoot(); at = at.parent()) {
            crumbs.addFirst(new Crumb(at.name(), at.value()));
        }
        return crumbs;
    }

    record Crumb(String name, String path) {
    }
}
