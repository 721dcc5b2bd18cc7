package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.server.Page;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.StoredFile;
import org.escadrille.server.storage.TransferMeter;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

/** The caller's space: upload (streamed), download, list, delete. */
@RestController
class FilesController {
    private final UserFiles files;
    private final Paging paging;
    private final TransferMeter meter;

    FilesController(UserFiles files, Paging paging, TransferMeter meter) {
        this.files = files;
        this.paging = paging;
        this.meter = meter;
    }

    @PutMapping("/api/v1/files/{*path}")
    ResponseEntity<StoredFile> upload(@AuthenticationPrincipal Account account, @PathVariable String path,
                                      HttpServletRequest request) throws IOException {
        refuseForms(request.getContentType());
        try (InputStream body = meter.receiving(request.getInputStream())) {
            return ResponseEntity.status(HttpStatus.CREATED).body(files.upload(account, UserPath.of(path), body,
                    request.getContentLengthLong()));
        }
    }

    /**
     * Uploads are the raw bytes of the file. A multipart body would store its envelope around the
     * file, so it is refused; a body declared {@code x-www-form-urlencoded} (what {@code curl
     * --data-binary} sends by default) is stored as it is, byte for byte: nothing parses it as a form.
     */
    private static void refuseForms(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            throw new ErrorResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiExceptionHandler.problem(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported upload", "an upload is the file's raw bytes as the "
                            + "body (e.g. Content-Type: application/octet-stream; curl -T FILE), not a multipart form ("
                            + contentType + ")"), null);
        }
    }

    /**
     * A file's bytes, or one range of them ({@code Range: bytes=...}, RFC 9110 §14), read from the
     * storage alone (S3: a ranged GET): a download cut short resumes where it stopped. Several ranges
     * in one request are Spring's (a multipart/byteranges answer).
     */
    @GetMapping("/api/v1/files/{*path}")
    ResponseEntity<?> download(@AuthenticationPrincipal Account account, @PathVariable String path,
                               @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                               HttpServletRequest request) {
        var userPath = UserPath.of(path);
        var stat = files.stat(account, userPath);
        var headers = new HttpHeaders();
        headers.setContentDisposition(ContentDisposition.attachment().filename(stat.name()).build());
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (stat.sha256() != null) {
            headers.set("X-Escadrille-SHA256", stat.sha256());
        }
        // Of the whole file, as the SHA-256 is, even in the answer to a range.
        if (stat.crc32c() != null) {
            headers.set("X-Escadrille-CRC32C", stat.crc32c());
        }
        var ranges = parse(range);
        if (ranges.size() == 1) {
            HttpRange asked = ranges.getFirst();
            long start;
            long end;
            try {
                start = asked.getRangeStart(stat.size());
                end = asked.getRangeEnd(stat.size());
            } catch (IllegalArgumentException unsatisfiable) {
                headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + stat.size());
                return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE).headers(headers).build();
            }
            if (start >= stat.size()) {
                headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + stat.size());
                return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE).headers(headers).build();
            }
            long length = end - start + 1;
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + stat.size());
            var partial = ResponseEntity.status(HttpStatus.PARTIAL_CONTENT).headers(headers)
                    .contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(length);
            if (sentByKernel(request, account, userPath, start, length)) {
                return partial.build();
            }
            return partial.body(new InputStreamResource(meter.sending(files.open(account, userPath, start, length))));
        }
        if (ranges.isEmpty() && sentByKernel(request, account, userPath, 0, stat.size())) {
            return ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .contentLength(stat.size()).build();
        }
        // No range, or several (or a header that is not one): Spring's own handling of ranges, on a resource
        // that it may open once per range and that gives the Content-Length (of the whole or of the parts).
        return ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(new StoredFileResource(stat.name(), stat.size(), () -> meter.sending(files.open(account, userPath))));
    }

    /**
     * Whether these bytes of the file go by {@linkplain Sendfile sendfile} (local storage, a GET, a connector
     * that has it), counted as sent; else the caller streams them.
     */
    private boolean sentByKernel(HttpServletRequest request, Account account, UserPath path, long start, long length) {
        var file = files.localFile(account, path);
        if (file.isPresent() && Sendfile.offer(request, file.get(), start, length)) {
            meter.sent(length);
            return true;
        }
        return false;
    }

    /** The ranges asked for; a header that is not a byte range is ignored, as RFC 9110 allows. */
    private static List<HttpRange> parse(String range) {
        if (range == null || range.isBlank()) {
            return List.of();
        }
        try {
            return HttpRange.parseRanges(range);
        } catch (IllegalArgumentException malformed) {
            return List.of();
        }
    }

    @GetMapping("/api/v1/files")
    ResponseEntity<Map<String, Object>> list(@AuthenticationPrincipal Account account,
                                             @RequestParam(defaultValue = "") String dir,
                                             @RequestParam(required = false) Integer limit,
                                             @RequestParam(required = false) Integer offset, HttpServletRequest request) {
        var directory = UserPath.of(dir);
        var window = paging.window(limit, offset);
        Page<UserFiles.Listing> page = Page.of(files.list(account, directory), window.offset(), window.limit());
        var body = new LinkedHashMap<String, Object>();
        body.put("path", directory.value());
        body.put("entries", page.items());
        body.put("offset", page.offset());
        body.put("total", page.total());
        body.put("next", page.hasNext() ? Paging.next(page, window, request) : null);
        return ResponseEntity.ok().headers(paging.headers(page, window, request)).body(body);
    }

    @DeleteMapping("/api/v1/files/{*path}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Account account, @PathVariable String path) {
        files.delete(account, UserPath.of(path));
        return ResponseEntity.noContent().build();
    }
}
