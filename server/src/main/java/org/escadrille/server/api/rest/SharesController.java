package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.execution.ExecutionService;
import org.escadrille.server.execution.ExecutionShare;
import org.escadrille.server.execution.ExecutionShares;
import org.escadrille.server.execution.ExecutionView;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * An execution shared read-only with a group or by a link ({@code /api/v1/executions/{id}/shares}, by
 * its owner), and what a link shows to whoever holds it, signed in or not ({@code /api/v1/shared/{token}}):
 * the execution and its outputs.
 */
@RestController
class SharesController {
    private final ExecutionShares shares;
    private final ExecutionService executions;
    private final AccountService accounts;
    private final UserFiles files;

    SharesController(ExecutionShares shares, ExecutionService executions, AccountService accounts, UserFiles files) {
        this.shares = shares;
        this.executions = executions;
        this.accounts = accounts;
        this.files = files;
    }

    /** @param group the group to share with; or {@code link}: true for a link */
    record NewShare(String group, Boolean link) {
    }

    /** A share; {@code url}: a link's address, only in the answer that made it. */
    record ShareView(String id, String kind, String group, Instant createdAt, String createdBy, String token,
                     String url) {
    }

    @GetMapping("/api/v1/executions/{id}/shares")
    List<ShareView> list(@AuthenticationPrincipal Account account, @PathVariable String id) {
        return shares.of(account, id).stream().map(share -> view(share, null)).toList();
    }

    @PostMapping("/api/v1/executions/{id}/shares")
    ResponseEntity<ShareView> share(@AuthenticationPrincipal Account account, @PathVariable String id,
                                    @RequestBody(required = false) NewShare body, HttpServletRequest request) {
        boolean link = body != null && Boolean.TRUE.equals(body.link());
        boolean group = body != null && body.group() != null && !body.group().isBlank();
        if (link == group) {
            throw new InvalidRequestException("Invalid share", "send {\"group\": \"NAME\"} to share with one of your groups,"
                    + " or {\"link\": true} for a link (one of the two)");
        }
        var share = link ? shares.shareByLink(account, id, request.getRemoteAddr())
                : shares.shareWithGroup(account, id, body.group().strip(), request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(share, request));
    }

    /** Ends the share with {@code group}, or with {@code link=true} every link to the execution. */
    @DeleteMapping("/api/v1/executions/{id}/shares")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal Account account, @PathVariable String id,
                                @RequestParam(required = false) String group, @RequestParam(defaultValue = "false") boolean link,
                                HttpServletRequest request) {
        boolean byGroup = group != null && !group.isBlank();
        if (link == byGroup) {
            throw new InvalidRequestException("Invalid revocation", "name what to revoke: ?group=NAME, or ?link=true for"
                    + " every link to the execution (one of the two)");
        }
        shares.revoke(account, id, byGroup ? group.strip() : null, request.getRemoteAddr());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/shared/{token}")
    ExecutionView shared(@PathVariable String token) {
        return executions.readShared(token);
    }

    /** One output of a shared execution, by its path as the execution lists it. */
    @GetMapping("/api/v1/shared/{token}/outputs/{*path}")
    ResponseEntity<Resource> output(@PathVariable String token, @PathVariable String path) {
        var execution = executions.readShared(token);
        var wanted = UserPath.of(path);
        var output = execution.outputs().stream().filter(o -> UserPath.of(o.path()).equals(wanted)).findFirst()
                .orElseThrow(() -> new NotFoundException("execution " + execution.id() + " has no output '" + wanted.value() + "'"));
        var owner = accounts.findByUsername(execution.owner())
                .orElseThrow(() -> new NotFoundException("no output '" + wanted.value() + "'"));
        var stat = files.stat(owner, UserPath.of(output.path()));
        var headers = new HttpHeaders();
        headers.setContentDisposition(ContentDisposition.attachment().filename(stat.name()).build());
        if (stat.sha256() != null) {
            headers.set("X-Escadrille-SHA256", stat.sha256());
        }
        var resource = new StoredFileResource(stat.name(), stat.size(), () -> files.open(owner, UserPath.of(output.path())));
        return ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(stat.size())
                .body(resource);
    }

    private static ShareView view(ExecutionShare share, HttpServletRequest request) {
        String url = share.token() == null || request == null ? null
                : ServletUriComponentsBuilder.fromContextPath(request).path("/shared/" + share.token()).build().toUriString();
        return new ShareView(share.id(), share.kind(), share.group(), share.createdAt(), share.createdBy(), share.token(), url);
    }
}
