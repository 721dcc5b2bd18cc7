package org.escadrille.server.carmin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.escadrille.server.ConflictException;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The caller's space as CARMIN's {@code path/{completePath}}, {@code /vip/Home/...}: properties, exists,
 * list, md5 and content (a directory's as a tar archive); upload a file (raw bytes, or CARMIN's base64
 * {@code application/carmin+json}, a zip archive making a directory), create a directory (no body), delete.
 */
@RestController
class PathController {
    private static final MediaType CARMIN_JSON = MediaType.parseMediaType("application/carmin+json");
    private final UserFiles files;
    private final CarminPaths paths;
    private final CarminUploads uploads;
    private final FolderArchives archives;
    private final JsonMapper json;

    PathController(UserFiles files, CarminPaths paths, CarminUploads uploads, FolderArchives archives, JsonMapper json) {
        this.files = files;
        this.paths = paths;
        this.uploads = uploads;
        this.archives = archives;
        this.json = json;
    }

    @GetMapping("/rest/path/{*completePath}")
    ResponseEntity<?> get(@AuthenticationPrincipal Account caller, @PathVariable String completePath,
                          @RequestParam(required = false) String action, HttpServletResponse response) throws IOException {
        String what = action == null ? "" : action.strip().toLowerCase(Locale.ROOT);
        if (what.equals("content")) {
            content(caller, completePath, response);
            return null;
        }
        return switch (what) {
            case "exists" -> ResponseEntity.ok(Map.of("exists", paths.exists(caller, completePath)));
            case "properties" -> ResponseEntity.ok(paths.properties(caller, completePath));
            case "list" -> ResponseEntity.ok(paths.list(caller, completePath));
            case "md5" -> ResponseEntity.ok(Map.of("md5", md5(caller, VipPaths.toUser(completePath, "path"))));
            default -> throw new InvalidRequestException("Invalid action", "action must be one of content, exists, "
                    + "properties, list, md5; got '" + (action == null ? "" : action) + "'",
                    List.of(new InvalidRequestException.FieldProblem("action", "is content, exists, properties, list or md5")));
        };
    }

    /**
     * A body is a file (raw bytes, any type but CARMIN's JSON, which carries base64); no body and no type is
     * a new directory, refused where something is already. The parent directory must exist.
     */
    @PutMapping("/rest/path/{*completePath}")
    ResponseEntity<CarminPath> put(@AuthenticationPrincipal Account caller, @PathVariable String completePath,
                                   HttpServletRequest request) throws IOException {
        var path = VipPaths.toUser(completePath, "path");
        if (path.isRoot()) {
            throw new InvalidRequestException("Invalid path", "your home " + VipPaths.HOME + " exists already: name a "
                    + "file or directory in it");
        }
        requireParentDirectory(caller, path);
        String type = request.getContentType();
        try (var body = new PushbackInputStream(request.getInputStream(), 1)) {
            if (type != null && CARMIN_JSON.isCompatibleWith(MediaType.parseMediaType(type))) {
                uploads.carminJson(caller, path, json.readValue(body, CarminUploads.UploadData.class));
            } else if (type == null && isEmpty(body)) {
                if (files.exists(caller, path)) {
                    throw new ConflictException("'" + completePath + "' exists already");
                }
                files.makeDirectory(caller, path);
            } else {
                refuseForms(type);
                files.upload(caller, path, body);
            }
        }
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, request.getRequestURL().toString())
                .contentType(MediaType.APPLICATION_JSON).body(paths.properties(caller, VipPaths.toVip(path)));
    }

    @DeleteMapping("/rest/path/{*completePath}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Account caller, @PathVariable String completePath) {
        var path = VipPaths.toUser(completePath, "path");
        if (!files.exists(caller, path)) {
            throw new NotFoundException("no file or directory '" + completePath + "' in your space");
        }
        files.delete(caller, path);
        return ResponseEntity.noContent().build();
    }

    /**
     * The bytes of a file, or a directory as a tar archive, written out as they are read; always as
     * {@code application/octet-stream}, the one binary type carmin.yaml names (VIP does the same).
     */
    private void content(Account caller, String completePath, HttpServletResponse response) throws IOException {
        var path = VipPaths.toUser(completePath, "path");
        boolean directory = files.isDirectory(caller, path);
        String name = path.isRoot() ? "Home" : path.name();
        var stat = directory ? null : files.stat(caller, path);
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(directory ? name + ".tar" : name, StandardCharsets.UTF_8).build().toString());
        if (directory) {
            archives.write(caller, path, name, response.getOutputStream());
            return;
        }
        response.setContentLengthLong(stat.size());
        try (InputStream in = files.open(caller, path)) {
            in.transferTo(response.getOutputStream());
        }
    }

    private String md5(Account caller, UserPath path) {
        if (files.isDirectory(caller, path)) {
            throw new InvalidRequestException("Not a file", "'" + VipPaths.toVip(path) + "' is a directory: md5 is for files");
        }
        try (var in = new DigestInputStream(files.open(caller, path), MessageDigest.getInstance("MD5"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    private void requireParentDirectory(Account caller, UserPath path) {
        var parent = path.parent();
        if (!files.isDirectory(caller, parent)) {
            throw new InvalidRequestException("Invalid path", "the directory " + VipPaths.toVip(parent) + " does not exist: "
                    + "create it first (PUT with no body)");
        }
    }

    private static boolean isEmpty(PushbackInputStream body) throws IOException {
        int first = body.read();
        if (first < 0) {
            return true;
        }
        body.unread(first);
        return false;
    }

    /** A multipart form would be stored with its envelope: refused, as in the native API. */
    private static void refuseForms(String type) {
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new UnsupportedUploadException("an upload is the file's raw bytes as the body (e.g. Content-Type: "
                    + "application/octet-stream), or CARMIN's application/carmin+json; not a multipart form");
        }
    }
}
