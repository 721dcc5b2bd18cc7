package org.escadrille.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.StoredFile;
import org.escadrille.server.storage.TransferMeter;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The data manager's uploads: the browser PUTs each file's bytes (with the session and a CSRF header),
 * and they stream into the user's space: never whole in memory, no multipart, no size limit here.
 * Answers are short texts that the page shows as they are.
 */
@RestController
class FileUploads {
    private final UserFiles files;
    private final TransferMeter meter;

    FileUploads(UserFiles files, TransferMeter meter) {
        this.files = files;
        this.meter = meter;
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

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<String> notFound(NotFoundException e) {
        return text(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static ResponseEntity<String> text(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .body(PortalExceptionHandler.capitalized(message));
    }
}
