package org.escadrille.server.api.rest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.StoredFile;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.escadrille.server.storage.UserUploads;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Uploads and downloads straight between the client and the storage (S3), the server signing URLs
 * and recording files but streaming none of their bytes (docs/storage.md, "Big files"). On a storage
 * without such URLs the answers say {@code "direct": false} and the client uses {@code /api/v1/files}.
 */
@RestController
class UploadsController {
    private final UserUploads uploads;
    private final UserFiles files;
    private final Duration urlLifetime;

    UploadsController(UserUploads uploads, UserFiles files, EscadrilleProperties properties) {
        this.uploads = uploads;
        this.files = files;
        this.urlLifetime = properties.storage().s3().urlLifetime();
    }

    record Begin(String path, Long size) {
    }

    /** {@code crc32c}: optional, the whole file's CRC32C, recorded for downloads to be checked with. */
    record Complete(String sha256, String crc32c) {
    }

    record PartRequest(String sha256) {
    }

    /** Starts (or resumes) an upload: {@code {"path", "size"}}. */
    @PostMapping("/api/v1/uploads")
    ResponseEntity<Map<String, Object>> begin(@AuthenticationPrincipal Account account, @RequestBody Begin begin) {
        if (begin == null || begin.path() == null || begin.size() == null) {
            throw new InvalidRequestException("Invalid upload", "send {\"path\": where in your space, \"size\": the file's bytes}");
        }
        var path = UserPath.of(begin.path());
        var body = new LinkedHashMap<String, Object>();
        if (!uploads.direct()) {
            body.put("direct", false);
            body.put("detail", "this server's storage takes uploads through PUT /api/v1/files/{path}");
            return ResponseEntity.ok(body);
        }
        var ticket = uploads.begin(account, path, begin.size());
        body.put("direct", true);
        body.put("id", ticket.id());
        body.put("path", ticket.path());
        body.put("size", ticket.size());
        body.put("partSize", ticket.partSize());
        body.put("partCount", ticket.partCount());
        body.put("uploadedParts", ticket.uploadedParts());
        return ResponseEntity.status(ticket.uploadedParts().isEmpty() ? HttpStatus.CREATED : HttpStatus.OK).body(body);
    }

    /** Where to PUT one part; a file of one part names its SHA-256 ({@code {"sha256"}}), which the URL is bound to. */
    @PostMapping("/api/v1/uploads/{id}/parts/{number}")
    UserUploads.PartUrl part(@AuthenticationPrincipal Account account, @PathVariable String id, @PathVariable int number,
                             @RequestBody(required = false) PartRequest request) {
        return uploads.part(account, id, number, request == null ? null : request.sha256());
    }

    @PostMapping("/api/v1/uploads/{id}/complete")
    ResponseEntity<StoredFile> complete(@AuthenticationPrincipal Account account, @PathVariable String id,
                                        @RequestBody(required = false) Complete complete) {
        return ResponseEntity.status(HttpStatus.CREATED).body(uploads.complete(account, id,
                complete == null ? null : complete.sha256(), complete == null ? null : complete.crc32c()));
    }

    @DeleteMapping("/api/v1/uploads/{id}")
    ResponseEntity<Void> abort(@AuthenticationPrincipal Account account, @PathVariable String id) {
        uploads.abort(account, id);
        return ResponseEntity.noContent().build();
    }

    /** A URL that reads the file straight from the storage for a short while, with its size, SHA-256 and CRC32C (or null); {@code url} null without one. */
    @GetMapping("/api/v1/downloads/{*path}")
    Map<String, Object> download(@AuthenticationPrincipal Account account, @PathVariable String path) {
        var userPath = UserPath.of(path);
        StoredFile stat = files.stat(account, userPath);
        var body = new LinkedHashMap<String, Object>();
        body.put("path", stat.path());
        body.put("size", stat.size());
        body.put("sha256", stat.sha256());
        body.put("crc32c", stat.crc32c());
        body.put("url", files.directDownload(account, userPath, urlLifetime).map(Object::toString).orElse(null));
        return body;
    }
}
