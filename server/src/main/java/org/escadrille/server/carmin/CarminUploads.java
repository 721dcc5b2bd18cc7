package org.escadrille.server.carmin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.FilterInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipInputStream;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/**
 * CARMIN's {@code application/carmin+json} uploads: a file, or a zip archive that becomes a directory, in
 * base64, checked against their MD5 when one is given. Every name of an archive is a {@link UserPath}
 * under the new directory, so none can leave it.
 */
@Component
class CarminUploads {
    private final UserFiles files;

    CarminUploads(UserFiles files) {
        this.files = files;
    }

    record UploadData(String base64Content, String type, String md5) {
    }

    void carminJson(Account caller, UserPath path, UploadData data) {
        if (data == null || data.base64Content() == null || data.type() == null) {
            throw new InvalidRequestException("Invalid upload", "send {\"base64Content\": ..., \"type\": \"File\" or \"Archive\"}");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(data.base64Content());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid upload", "base64Content is not base64: " + e.getMessage(),
                    List.of(new InvalidRequestException.FieldProblem("base64Content", "is not base64")));
        }
        if (data.md5() != null && !data.md5().equalsIgnoreCase(md5(bytes))) {
            throw new InvalidRequestException("Invalid upload", "the content's MD5 is " + md5(bytes) + ", not " + data.md5()
                    + ": it changed on the way", List.of(new InvalidRequestException.FieldProblem("md5", "does not match")));
        }
        switch (data.type()) {
            case "File" -> files.upload(caller, path, new ByteArrayInputStream(bytes));
            case "Archive" -> unzip(caller, path, bytes);
            default -> throw new InvalidRequestException("Invalid upload", "type must be File or Archive, got '" + data.type() + "'",
                    List.of(new InvalidRequestException.FieldProblem("type", "is File or Archive")));
        }
    }

    private void unzip(Account caller, UserPath directory, byte[] zip) {
        files.makeDirectory(caller, directory);
        try (var entries = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                var target = directory.resolve(UserPath.of(entry.getName()).value());
                if (entry.isDirectory()) {
                    files.makeDirectory(caller, target);
                } else {
                    files.makeDirectory(caller, target.parent());
                    // the storage may close what it reads: the archive's next entries must stay readable
                    files.upload(caller, target, new FilterInputStream(entries) {
                        @Override
                        public void close() {
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new InvalidRequestException("Invalid upload", "base64Content is not a zip archive: " + e.getMessage());
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
