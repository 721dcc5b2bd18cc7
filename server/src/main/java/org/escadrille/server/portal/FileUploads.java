package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.StorageQuotaExceededException;
import org.escadrille.server.storage.StoredFile;
import org.escadrille.server.storage.TransferMeter;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.escadrille.server.storage.UserUploads;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The data manager's uploads. With S3 storage the browser sends each file straight to the bucket, in
 * parts, with the URLs these endpoints sign ({@link UserUploads}, as {@code /api/v1/uploads} for API
 * clients); otherwise it PUTs the file's bytes (with the session and a CSRF header), and they stream
 * into the user's space: never whole in memory, no multipart form, no size limit here. Refusals are
 * short texts that the page shows as they are.
 */
@RestController
class FileUploads {
    private final UserFiles files;
    private final TransferMeter meter;
    private final UserUploads uploads;

    FileUploads(UserFiles files, TransferMeter meter, UserUploads uploads) {
        this.files = files;
        this.meter = meter;
        this.uploads = uploads;
    }

    record Begin(String path, Long size) {
    }

    record Checksum(String sha256) {
    }

    /** Starts or resumes an upload straight to the storage; {@code {"direct": false}} with local storage. */
    @PostMapping("/files/uploads")
    Map<String, Object> begin(@AuthenticationPrincipal(expression = "account") Account account, @RequestBody Begin begin) {
        if (begin == null || begin.path() == null || begin.size() == null) {
            throw new InvalidRequestException("Invalid upload", "send the path and the size of the file");
        }
        var path = UserPath.of(begin.path());
        if (!uploads.direct()) {
            return Map.of("direct", false);
        }
        var ticket = uploads.begin(account, path, begin.size());
        return Map.of("direct", true, "id", ticket.id(), "partSize", ticket.partSize(), "partCount", ticket.partCount(),
                "uploadedParts", ticket.uploadedParts());
    }

    @PostMapping("/files/uploads/{id}/parts/{number}")
    UserUploads.PartUrl part(@AuthenticationPrincipal(expression = "account") Account account, @PathVariable String id,
                             @PathVariable int number, @RequestBody(required = false) Checksum checksum) {
        return uploads.part(account, id, number, checksum == null ? null : checksum.sha256());
    }

    @PostMapping("/files/uploads/{id}/complete")
    ResponseEntity<StoredFile> complete(@AuthenticationPrincipal(expression = "account") Account account,
                                        @PathVariable String id, @RequestBody(required = false) Checksum checksum) {
        return ResponseEntity.status(HttpStatus.CREATED).body(uploads.complete(account, id, checksum == null ? null
                : checksum.sha256()));
    }

    @PutMapping("/files/upload/{*path}")
    ResponseEntity<StoredFile> upload(@AuthenticationPrincipal(expression = "account") Account account,
                                      @PathVariable String path, HttpServletRequest request) throws IOException {
        try (InputStream body = meter.receiving(request.getInputStream())) {
            return ResponseEntity.status(HttpStatus.CREATED).body(files.upload(account, UserPath.of(path), body,
                    request.getContentLengthLong()));
        }
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<String> invalid(InvalidRequestException e) {
        return text(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** A body that is not the JSON these calls take (the page's script always sends it). */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<String> unreadable(HttpMessageNotReadableException e) {
        return text(HttpStatus.BAD_REQUEST, "send the upload's fields as JSON: {\"path\", \"size\"} to start it, {\"sha256\"} to complete it");
    }

    @ExceptionHandler(StorageQuotaExceededException.class)
    ResponseEntity<String> overQuota(StorageQuotaExceededException e) {
        return text(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<String> conflict(ConflictException e) {
        return text(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<String> notFound(NotFoundException e) {
        return text(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static ResponseEntity<String> text(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(PortalExceptionHandler.capitalized(message));
    }
}
