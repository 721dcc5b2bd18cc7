package org.escadrille.server.scheduling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.escadrille.protocol.MultipartPlan;
import org.escadrille.protocol.OutputPart;
import org.escadrille.protocol.OutputUpload;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.RelativePaths;
import org.escadrille.protocol.StoredOutput;
import org.escadrille.protocol.UploadUrl;
import org.escadrille.server.ConflictException;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.storage.DirectMultipart;
import org.escadrille.server.storage.Storage;
import org.escadrille.server.storage.UserPath;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A pilot's outputs too large for one presigned PUT (S3 takes at most 5 GiB in one): a multipart
 * upload into the attempt's staging area, whose parts the pilot PUTs itself with URLs signed one at a
 * time, the object carrying its SHA-256 from the start, so that the completion finds it as it finds
 * the others ({@code HEAD}). Every call checks that the attempt is leased to the pilot (else 404).
 */
@RestController
class PilotMultipartOutputs {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Scheduler scheduler;
    private final Storage storage;
    private final long partSize;
    private final long maxFileBytes;
    private final Duration urlLifetime;
    private final Counter partsSigned;

    PilotMultipartOutputs(Scheduler scheduler, Storage storage, EscadrilleProperties properties, MeterRegistry registry) {
        this.partsSigned = Counter.builder("escadrille.storage.pilot.output.parts")
                .description("parts of pilots' large outputs signed for upload straight to the storage").register(registry);
        this.scheduler = scheduler;
        this.storage = storage;
        this.partSize = properties.uploads().partSize().toBytes();
        this.maxFileBytes = properties.pilots().maxFileBytes().toBytes();
        this.urlLifetime = properties.storage().s3().urlLifetime();
    }

    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/outputs/multipart")
    MultipartPlan start(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                        @RequestBody OutputUpload upload) throws IOException {
        leased(pilotId, attemptId);
        String relative = confined(upload.path());
        if (!SHA256.matcher(upload.sha256()).matches()) {
            throw new InvalidRequestException("Invalid checksum", "sha256 must be 64 lowercase hexadecimal digits, got '"
                    + upload.sha256() + "'");
        }
        if (upload.size() > maxFileBytes) {
            throw new TooLargeException("output " + relative + " is larger than " + maxFileBytes
                    + " bytes, the most a pilot may upload in one file (escadrille.pilots.max-file-bytes)");
        }
        var multipart = storage.directMultipart();
        if (multipart.isEmpty()) {
            return new MultipartPlan(null, 0, 0);
        }
        long size = Math.max(partSize, (upload.size() + 9_999) / 10_000);
        int parts = (int) Math.max(1, (upload.size() + size - 1) / size);
        return new MultipartPlan(multipart.get().start(key(attemptId, relative), upload.sha256()), size, parts);
    }

    /** Where to PUT one part: exactly the bytes the pilot says the part has ({@code ?size=}), straight to the storage. */
    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/outputs/multipart/part")
    UploadUrl part(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId, @RequestBody OutputPart part,
                   @RequestParam long size) throws IOException {
        leased(pilotId, attemptId);
        String relative = confined(part.path());
        if (part.number() < 1 || part.number() > 10_000 || size < 0 || size > 5L * 1024 * 1024 * 1024) {
            throw new InvalidRequestException("Invalid part", "a part is numbered 1 to 10000 and holds at most 5 GiB;"
                    + " got part " + part.number() + " of " + size + " bytes");
        }
        var url = multipart().partUrl(key(attemptId, relative), part.uploadId(), part.number(), size, urlLifetime);
        partsSigned.increment();
        return new UploadUrl(url.toString(), Map.of());
    }

    /** Completes the upload once the store holds parts 1 to {@code number}, all of them. */
    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/outputs/multipart/complete")
    StoredOutput complete(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                                  @RequestBody OutputPart last) throws IOException {
        leased(pilotId, attemptId);
        String key = key(attemptId, confined(last.path()));
        var multipart = multipart();
        try {
            var parts = multipart.parts(key, last.uploadId());
            var held = new HashMap<Integer, DirectMultipart.Part>();
            parts.forEach(p -> held.put(p.number(), p));
            for (int n = 1; n <= last.number(); n++) {
                if (!held.containsKey(n)) {
                    throw new ConflictException("output " + last.path() + ": part " + n + " of " + last.number()
                            + " is missing; send it, then complete the upload");
                }
            }
            // The checksum was set as metadata when the upload started: nothing to copy at its end.
            multipart.complete(key, last.uploadId(), parts.stream().filter(p -> p.number() <= last.number()).toList());
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no upload " + last.uploadId() + " of output " + last.path() + " (aborted?): start it again");
        }
        var stored = storage.stat(key).orElseThrow(() -> new ConflictException("output " + last.path() + " is not in the storage"));
        return new StoredOutput(last.path(), stored.size(), stored.sha256());
    }

    private DirectMultipart multipart() {
        return storage.directMultipart().orElseThrow(() -> new ConflictException(
                "this server's storage takes outputs through PUT " + PilotProtocol.ATTEMPTS + "/{id}/outputs"));
    }

    /** Checks that the attempt is the pilot's, and notes that it may stage outputs (its ending looks for them). */
    private void leased(String pilotId, String attemptId) {
        Lease lease = scheduler.leaseOf(attemptId);
        if (lease == null || !lease.pilotId.equals(pilotId)) {
            throw new NotFoundException("attempt " + attemptId + " is not leased to this pilot");
        }
        lease.outputsStaged = true;
    }

    private static String key(String attemptId, String relative) {
        return AttemptFiles.stagingPrefix(attemptId) + relative;
    }

    private static String confined(String path) {
        try {
            RelativePaths.requireConfined(path);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid output path", e.getMessage());
        }
        return UserPath.of(path).value();
    }
}
