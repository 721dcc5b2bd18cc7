package org.escadrille.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.Ids;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.Account;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Users' uploads straight to the storage element (S3), the server out of the data path: the client
 * declares the file's path and size (checked against the quota before anything is sent), PUTs each
 * part to a presigned URL, and reports completion with the SHA-256 it computed while reading; the
 * server then checks what the store holds (every part and its size, or for a single PUT the size and the
 * checksum the store verified) and records the file. A file in parts is written straight at its own key,
 * where the store keeps the previous object until the completion joins the parts (an abort leaves it as
 * it was), so that completing copies nothing; a single PUT, which would replace the object at once, goes
 * to a staging key and is moved to its path when complete. An upload of the same path and
 * size started earlier is resumed: the parts the store already holds are listed, and only the others
 * need sending. Uploads left unfinished are aborted after {@code escadrille.uploads.abandoned-after}.
 */
@Service
public class UserUploads {
    private static final Logger log = LoggerFactory.getLogger(UserUploads.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CRC32C = Pattern.compile("[0-9a-f]{8}");
    /** S3's largest object. */
    static final long MAX_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

    private final Storage storage;
    private final UserFiles files;
    private final UploadSessionRepository sessions;
    private final Clock clock;
    private final long partSize;
    private final Duration urlLifetime;
    private final Duration abandonedAfter;

    @Autowired
    UserUploads(Storage storage, UserFiles files, UploadSessionRepository sessions, Clock clock, EscadrilleProperties properties) {
        this(storage, files, sessions, clock, properties.uploads().partSize().toBytes(), properties.storage().s3().urlLifetime(),
                properties.uploads().abandonedAfter());
    }

    UserUploads(Storage storage, UserFiles files, UploadSessionRepository sessions, Clock clock, long partSize,
                Duration urlLifetime, Duration abandonedAfter) {
        this.storage = storage;
        this.files = files;
        this.sessions = sessions;
        this.clock = clock;
        this.partSize = partSize;
        this.urlLifetime = urlLifetime;
        this.abandonedAfter = abandonedAfter;
    }

    /** Whether uploads may go straight to the storage; otherwise they stream through {@code PUT /api/v1/files/...}. */
    public boolean direct() {
        return storage.directMultipart().isPresent();
    }

    /**
     * Starts an upload of {@code size} bytes to {@code path}, or resumes the owner's earlier one of the
     * same path and size, after checking the path and the room left in the owner's quota.
     */
    public Ticket begin(Account owner, UserPath path, long size) {
        var multipart = multipart();
        if (size < 0 || size > MAX_SIZE) {
            throw new InvalidRequestException("Invalid size", "size must be between 0 and " + MAX_SIZE
                    + " bytes (5 TiB, S3's largest object), got " + size);
        }
        var place = files.requireWritable(owner, path);
        files.requireRoom(owner, "storing '" + path.value() + "'", Map.of(path, size));
        var earlier = sessions.findResumable(owner.id(), path.value(), size);
        if (earlier.isPresent()) {
            var resumed = resume(earlier.get(), multipart);
            if (resumed.isPresent()) {
                return resumed.get();
            }
        }
        long parts = Math.max(partSize, ceilToMiB((size + UploadSession.MAX_PARTS - 1) / UploadSession.MAX_PARTS));
        String id = Ids.newId();
        var draft = new UploadSession(id, owner.id(), path.value(), size, parts, null, clock.millis(), null);
        String uploadId = null;
        String objectKey = null;
        if (draft.partCount() > 1) {
            // Parts go to the file's own key: the store keeps the previous object whole until the upload
            // completes, and completing costs no copy of the object to its path.
            objectKey = place.key();
            try {
                uploadId = multipart.start(objectKey, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        var session = new UploadSession(id, owner.id(), path.value(), size, parts, uploadId, draft.createdAtMs(), objectKey);
        sessions.insert(session);
        log.info("upload {} of {} bytes to {} by {} started in {} part(s)", id, size, path.value(), owner.username(),
                session.partCount());
        return ticket(session, List.of());
    }

    /** The earlier session with the parts the store holds, or empty when the store no longer knows it. */
    private Optional<Ticket> resume(UploadSession session, DirectMultipart multipart) {
        if (!session.multipart()) {
            return Optional.of(ticket(session, List.of()));
        }
        try {
            var held = multipart.parts(session.key(), session.uploadId());
            var done = held.stream().filter(p -> p.number() <= session.partCount() && p.size() == session.partLength(p.number()))
                    .map(DirectMultipart.Part::number).toList();
            log.info("upload {} to {} resumed with {} of {} parts", session.id(), session.path(), done.size(), session.partCount());
            return Optional.of(ticket(session, done));
        } catch (NoSuchFileException gone) {
            sessions.delete(session.id());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where to PUT part {@code number} of the upload: a presigned UploadPart URL, or for a file of one
     * part a presigned PUT bound to its SHA-256 (which the client then computed first), so that the
     * store refuses other bytes.
     */
    public PartUrl part(Account owner, String id, int number, String sha256) {
        var session = owned(owner, id);
        if (number < 1 || number > session.partCount()) {
            throw new InvalidRequestException("Invalid part", "upload " + id + " has parts 1 to " + session.partCount()
                    + ", not " + number);
        }
        long length = session.partLength(number);
        try {
            if (!session.multipart()) {
                if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                    throw new InvalidRequestException("Invalid checksum", "a file of one part is sent with its SHA-256:"
                            + " sha256 must be 64 lowercase hexadecimal digits, got '" + sha256 + "'");
                }
                var put = storage.directUpload(session.stagingKey(), length, sha256, urlLifetime).orElseThrow();
                return new PartUrl(number, length, put.url(), put.headers());
            }
            return new PartUrl(number, length, multipart().partUrl(session.key(), session.uploadId(), number, length,
                    urlLifetime), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Completes the upload once every part is in the store: checks the parts (or the single object, its
     * size and the checksum the store verified), the quota again, and records the file with the client's
     * SHA-256, replacing what was at its path: a file in parts by joining them at its key, a single PUT by
     * moving it there from its staging key.
     */
    public StoredFile complete(Account owner, String id, String sha256) {
        return complete(owner, id, sha256, null);
    }

    /**
     * As {@link #complete(Account, String, String)}, recording also the file's CRC32C as the client computed it
     * while reading the file for its SHA-256 (null: none), for downloads to be checked with. The server holds it
     * as it holds that SHA-256: the client's word, which a download checks against the bytes the store gives.
     */
    public StoredFile complete(Account owner, String id, String sha256, String crc32c) {
        var session = owned(owner, id);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidRequestException("Invalid checksum", "sha256 must be the file's SHA-256 in 64 lowercase"
                    + " hexadecimal digits, got '" + sha256 + "'");
        }
        if (crc32c != null && !CRC32C.matcher(crc32c).matches()) {
            throw new InvalidRequestException("Invalid checksum", "crc32c, when given, must be the file's CRC32C in 8"
                    + " lowercase hexadecimal digits, got '" + crc32c + "'");
        }
        var path = UserPath.of(session.path());
        var checksums = new Checksums(sha256, crc32c);
        try {
            var stored = session.staged() ? completeStaged(owner, session, path, checksums)
                    : completeAtKey(owner, session, path, checksums);
            sessions.delete(id);
            log.info("upload {} of {} bytes to {} by {} complete", id, session.size(), path.value(), owner.username());
            return stored;
        } catch (NoSuchFileException gone) {
            sessions.delete(id);
            throw new ConflictException("upload " + id + " is no longer in the storage (aborted?): start it again");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every part has its size, so the object will have the size declared; its SHA-256 is kept by the record,
     * not as the object's metadata, which setting would copy the whole object onto itself.
     */
    private StoredFile completeAtKey(Account owner, UploadSession session, UserPath path, Checksums checksums) throws IOException {
        var multipart = multipart();
        var parts = multipart.parts(session.key(), session.uploadId());
        requireAllParts(session, parts);
        requireRoom(owner, session, path);
        return files.recordAndWrite(owner, path, session.size(), checksums.sha256(), checksums.crc32c(), session.key(), () -> {
            multipart.complete(session.key(), session.uploadId(), parts);
            return null;
        });
    }

    /** A single PUT (or an upload in parts begun before they went to their key): checked, recorded, then moved. */
    private StoredFile completeStaged(Account owner, UploadSession session, UserPath path, Checksums checksums) throws IOException {
        String sha256 = checksums.sha256();
        String id = session.id();
        if (session.multipart()) {
            var multipart = multipart();
            var parts = multipart.parts(session.key(), session.uploadId());
            requireAllParts(session, parts);
            multipart.complete(session.key(), session.uploadId(), parts);
        }
        var info = storage.stat(session.stagingKey()).orElseThrow(() -> new ConflictException("upload " + id
                + " has no content yet: PUT its part 1, then complete it"));
        if (info.size() != session.size()) {
            storage.delete(session.stagingKey());
            sessions.delete(id);
            throw new ConflictException("upload " + id + " holds " + info.size() + " bytes, not the " + session.size()
                    + " declared: start it again");
        }
        if (info.sha256() != null && !info.sha256().equals(sha256)) {
            throw new ConflictException("upload " + id + " was sent with SHA-256 " + info.sha256() + ", not " + sha256);
        }
        requireRoom(owner, session, path);
        var stored = files.record(owner, path, session.size(), sha256, checksums.crc32c());
        files.moveStaged(session.stagingKey(), owner, path);
        return stored;
    }

    /** The quota again, the file it replaces counted as freed: a quota lowered meanwhile ends the upload. */
    private void requireRoom(Account owner, UploadSession session, UserPath path) {
        try {
            files.requireRoom(owner, "storing '" + path.value() + "'", Map.of(path, session.size()));
        } catch (StorageQuotaExceededException e) {
            discard(session);
            throw e;
        }
    }

    private static void requireAllParts(UploadSession session, List<DirectMultipart.Part> parts) {
        Map<Integer, Long> held = new HashMap<>();
        parts.forEach(p -> held.put(p.number(), p.size()));
        var missing = new ArrayList<Integer>();
        var wrong = new ArrayList<String>();
        for (int n = 1; n <= session.partCount(); n++) {
            Long size = held.get(n);
            if (size == null) {
                missing.add(n);
            } else if (size != session.partLength(n)) {
                wrong.add(n + " (" + size + " bytes, not " + session.partLength(n) + ")");
            }
        }
        if (!missing.isEmpty() || !wrong.isEmpty()) {
            throw new ConflictException("upload " + session.id() + " is not complete:"
                    + (missing.isEmpty() ? "" : " parts " + shorten(missing) + " of " + session.partCount() + " are missing;")
                    + (wrong.isEmpty() ? "" : " parts " + String.join(", ", wrong) + " have the wrong size;")
                    + " send them, then complete it");
        }
    }

    private static String shorten(List<Integer> numbers) {
        return numbers.size() <= 20 ? numbers.toString() : numbers.subList(0, 20) + " (and " + (numbers.size() - 20) + " more)";
    }

    /** Aborts the upload and deletes what was sent of it. */
    public void abort(Account owner, String id) {
        discard(owned(owner, id));
    }

    /** Aborts uploads started longer ago than {@code escadrille.uploads.abandoned-after}, with their parts. */
    @Scheduled(fixedDelay = 15 * 60_000, initialDelay = 60_000)
    public void abortAbandoned() {
        for (var session : sessions.startedBefore(clock.millis() - abandonedAfter.toMillis())) {
            log.info("upload {} to {} abandoned for {}: aborted", session.id(), session.path(), abandonedAfter);
            discard(session);
        }
    }

    private void discard(UploadSession session) {
        if (session.multipart()) {
            storage.directMultipart().ifPresent(m -> m.abort(session.key(), session.uploadId()));
        }
        if (session.staged()) {
            // The file's own key holds the file as it was: only a staged object is the upload's to delete.
            try {
                storage.delete(session.stagingKey());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        sessions.delete(session.id());
    }

    private UploadSession owned(Account owner, String id) {
        return sessions.find(owner.id(), id).orElseThrow(() -> new NotFoundException("no upload '" + id + "' of yours"
                + " in progress (completed, aborted, or never started)"));
    }

    private DirectMultipart multipart() {
        return storage.directMultipart().orElseThrow(() -> new ConflictException("this server's storage takes uploads"
                + " through PUT /api/v1/files/{path}, not in parts"));
    }

    private static long ceilToMiB(long bytes) {
        long mib = 1024 * 1024;
        return (bytes + mib - 1) / mib * mib;
    }

    private Ticket ticket(UploadSession session, List<Integer> uploaded) {
        return new Ticket(session.id(), session.path(), session.size(), session.partSize(), session.partCount(), uploaded);
    }

    /** An upload to carry on: its parts, and those the store already holds. */
    public record Ticket(String id, String path, long size, long partSize, int partCount, List<Integer> uploadedParts) {
    }

    /** Where to PUT one part (with these headers). */
    public record PartUrl(int number, long size, URI url, Map<String, String> headers) {
    }

    /** The checksums a completion records: the file's SHA-256, and its CRC32C or null. */
    private record Checksums(String sha256, String crc32c) {
    }
}
