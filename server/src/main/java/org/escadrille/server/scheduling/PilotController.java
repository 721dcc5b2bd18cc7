package org.escadrille.server.scheduling;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.Order;
import org.escadrille.protocol.OutputUpload;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.protocol.RelativePaths;
import org.escadrille.protocol.StoredOutput;
import org.escadrille.protocol.UploadUrl;
import org.escadrille.server.EscadrilleProperties;
import org.escadrille.server.InvalidRequestException;
import org.escadrille.server.NotFoundException;
import org.escadrille.server.account.PilotAuthentication;
import org.escadrille.server.storage.BoundedStream;
import org.escadrille.server.storage.Storage;
import org.escadrille.server.storage.TransferMeter;
import org.escadrille.server.storage.UserPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The pilot protocol's endpoints ({@code /api/pilot/v1}). The principal is the pilot's id, proven
 * by its token (the registration token for the registration, a session token of that registration
 * afterwards); every attempt call checks that the attempt is leased to that pilot (else 404), and
 * what a pilot sends is held to the size limits of {@code escadrille.pilots}.
 */
@RestController
class PilotController {
    private static final Logger log = LoggerFactory.getLogger(PilotController.class);
    /** How long past its wait Tomcat keeps a lease request suspended, at least. */
    private static final long ASYNC_MARGIN_MS = 30_000;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Scheduler scheduler;
    private final PilotRegistry pilots;
    private final Storage storage;
    private final LogStore logs;
    private final PilotDrain drain;
    private final EscadrilleProperties.Scheduling settings;
    private final SandboxPolicy sandboxPolicy;
    private final EscadrilleProperties.Pilots limits;
    private final TransferMeter meter;
    private final Duration urlLifetime;
    private final boolean closeConnections;

    PilotController(Scheduler scheduler, PilotRegistry pilots, Storage storage, LogStore logs, PilotDrain drain,
                    EscadrilleProperties properties, SandboxPolicy sandboxPolicy, TransferMeter meter) {
        this.meter = meter;
        this.urlLifetime = properties.storage().s3().urlLifetime();
        this.sandboxPolicy = sandboxPolicy;
        this.scheduler = scheduler;
        this.drain = drain;
        this.pilots = pilots;
        this.storage = storage;
        this.logs = logs;
        this.settings = properties.scheduling();
        this.limits = properties.pilots();
        this.closeConnections = properties.longPolls().closeConnections();
    }

    @PostMapping(PilotProtocol.REGISTER)
    PilotRegistered register(@AuthenticationPrincipal String pilotId, PilotAuthentication caller,
                             @RequestBody PilotRegistration registration) {
        String session = pilots.register(pilotId, caller.tokenId(), registration);
        log.info("pilot {} registered from {} with {} slot(s), {}{}", pilotId, registration.host(), registration.slots(),
                registration.sandboxed() ? "sandboxed" : "not sandboxed",
                registration.tags().isEmpty() ? "" : ", tags " + registration.tags());
        sandboxPolicy.registered(pilotId, registration.host(), registration.sandboxed());
        // A pilot registers once, so it holds no attempt yet: after a server restart it goes on with its session token.
        // The heartbeats' pace now: the pool it joins may be large (HeartbeatPace); its replies bring the changes.
        long intervalMs = scheduler.heartbeatIntervalMs();
        return new PilotRegistered(pilotId, intervalMs, scheduler.leaseMs(), List.of(), session,
                storage.transfersDirectly(), true, true);
    }

    /**
     * A long poll that holds no thread while it waits: the scheduler completes the answer when it hands
     * work to the request or its wait ends, and the servlet request stays suspended meanwhile. An answer
     * that tells the pilot to come back later closes the connection (unless
     * {@code escadrille.long-polls.close-connections} is false): it would only sit idle until then.
     */
    @PostMapping(PilotProtocol.LEASE)
    DeferredResult<ResponseEntity<LeaseGrant>> lease(@AuthenticationPrincipal String pilotId,
                                                     PilotAuthentication caller,
                                                     @RequestBody LeaseRequest request) {
        pilots.seen(pilotId);
        // A pilot that runs nothing sends no heartbeat: its lease replies bring its fresh session tokens.
        // Taken now, on the request's thread (a write, at most once a quarter of the token's lifetime):
        // the answer comes from the scheduler's, which must not wait for the database.
        String freshToken = pilots.rotate(pilotId, caller.tokenId()).orElse(null);
        long waitMs = Math.max(0, Math.min(request.waitMs(), settings.longPoll().toMillis()));
        // A heartbeat folded in: its attempts' leases are renewed now, as the request arrives, not when it is answered.
        HeartbeatReply folded = request.attempts().isEmpty() ? null
                : scheduler.heartbeat(pilotId, new Heartbeat(request.attempts(), request.freeSlots()));
        // Tomcat's own time-out only if the scheduler failed to answer: never before the scheduler's deadline.
        var answer = new DeferredResult<ResponseEntity<LeaseGrant>>(waitMs + Math.max(ASYNC_MARGIN_MS, waitMs));
        if (drain.shouldDrain(pilotId) || scheduler.isBlackHole(pilotId)) {
            var drained = new LeaseGrant(List.of(), true).withSessionToken(freshToken).withHeartbeat(folded);
            answer.setResult(ResponseEntity.ok(drained));
            return answer;
        }
        if (folded != null && isUrgent(folded)) {
            answer.setResult(ResponseEntity.ok(LeaseGrant.none().withSessionToken(freshToken).withHeartbeat(folded)));
            return answer;
        }
        CompletableFuture<LeaseGrant> grant;
        if (!sandboxPolicy.mayRunTasks(pilotId)) {
            // An empty answer after the long poll, as when there is no work: the pilot neither spins
            // nor leaves (a local pilot would only be started again, to the same end).
            grant = CompletableFuture.supplyAsync(LeaseGrant::none, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS));
        } else {
            grant = scheduler.lease(pilotId, pilots.hostOf(pilotId).orElse("unknown"), pilots.tagsOf(pilotId),
                    request.withoutAttempts());
        }
        grant.whenComplete((granted, failure) -> {
            if (failure == null) {
                // The interval for the leases just granted: read now, it may have moved since, by no more than
                // HeartbeatPace lets it fall in one step, which a lease of the new interval still covers.
                var reply = granted.withSessionToken(freshToken).withHeartbeat(folded)
                        .withHeartbeatInterval(scheduler.heartbeatIntervalMs());
                answer.setResult(granted.retryAfterMs() > 0 && closeConnections
                        ? ResponseEntity.ok().header(HttpHeaders.CONNECTION, "close").body(reply)
                        : ResponseEntity.ok(reply));
            } else {
                answer.setErrorResult(failure instanceof CompletionException ? failure.getCause() : failure);
            }
        });
        // The client went away or Tomcat gave up: the scheduler hands nothing more to this request.
        answer.onTimeout(() -> grant.cancel(false));
        answer.onError(failure -> grant.cancel(false));
        return answer;
    }

    /**
     * Whether the reply to a heartbeat folded into a lease request must not wait for the long poll: a cancel, a stop
     * or a stop target reaches the pilot as a heartbeat's would. An ABANDON waits (it names an attempt whose end the
     * server has already taken, or whose lease ended): answered at once, a pilot that raced its completion asked
     * again for nothing.
     */
    private static boolean isUrgent(HeartbeatReply folded) {
        return !folded.stopAt().isEmpty() || folded.orders().stream().anyMatch(order -> order.kind() != Order.Kind.ABANDON);
    }

    @PostMapping(PilotProtocol.HEARTBEAT)
    HeartbeatReply heartbeat(@AuthenticationPrincipal String pilotId, PilotAuthentication caller,
                             @RequestBody Heartbeat heartbeat) {
        pilots.seen(pilotId);
        var reply = scheduler.heartbeat(pilotId, heartbeat);
        if (drain.shouldDrain(pilotId) || scheduler.isBlackHole(pilotId)) {
            reply = reply.draining();
        }
        return reply.withSessionToken(pilots.rotate(pilotId, caller.tokenId()).orElse(null));
    }

    @PostMapping(PilotProtocol.BYE)
    ResponseEntity<Void> bye(@AuthenticationPrincipal String pilotId) {
        log.info("pilot {} said goodbye", pilotId);
        pilots.ended(pilotId);
        // Whatever it still held, it will not finish: requeue now rather than at the lease's end.
        scheduler.pilotGone(pilotId, "left");
        return ResponseEntity.noContent().build();
    }

    @GetMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/inputs/{index}")
    ResponseEntity<InputStreamResource> input(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                                              @PathVariable int index) throws IOException {
        Lease lease = leaseOf(pilotId, attemptId);
        var inputs = lease.definition().spec().inputs();
        if (index < 0 || index >= inputs.size()) {
            throw new NotFoundException("attempt " + attemptId + " has no input " + index);
        }
        var input = inputs.get(index);
        // Signed now, at each download, for a short while: a pilot that downloads after a long prefetch
        // wait still gets a live URL, and an attempt that is no longer its own gets none (the 404 above).
        var direct = storage.directDownload(input.storageKey(), urlLifetime);
        if (direct.isPresent()) {
            return ResponseEntity.status(HttpStatus.FOUND).location(direct.get()).build();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(input.size())
                .body(new InputStreamResource(meter.sending(storage.get(input.storageKey()))));
    }

    /**
     * A URL where the pilot PUTs one output itself, straight to the storage, bound to the size and
     * SHA-256 it announces (the storage refuses other bytes); none when the storage has no such URLs.
     */
    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/outputs/direct")
    UploadUrl directOutput(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                           @RequestBody OutputUpload upload) throws IOException {
        leaseOf(pilotId, attemptId).outputsStaged = true;
        String relative = confined(upload.path());
        return uploadUrl(AttemptFiles.stagingPrefix(attemptId) + relative, "output " + relative, upload);
    }

    /** One file of a checkpoint, straight to the storage: as {@link #directOutput}, under the attempt's checkpoints. */
    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/checkpoints/{events}/direct")
    UploadUrl directCheckpoint(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                               @PathVariable long events, @RequestBody OutputUpload upload) throws IOException {
        Lease lease = leaseOf(pilotId, attemptId);
        requireCheckpoints(lease, attemptId, events);
        String relative = confined(upload.path());
        return uploadUrl(AttemptFiles.checkpointPrefix(attemptId) + events + "/" + relative, "checkpoint file " + relative,
                upload);
    }

    private UploadUrl uploadUrl(String key, String what, OutputUpload upload) throws IOException {
        if (!SHA256.matcher(upload.sha256()).matches()) {
            throw new InvalidRequestException("Invalid checksum", "sha256 must be 64 lowercase hexadecimal digits, got '"
                    + upload.sha256() + "'");
        }
        long max = limits.maxFileBytes().toBytes();
        if (upload.size() > max) {
            throw new TooLargeException(what + " is larger than " + max
                    + " bytes, the most a pilot may upload in one file (escadrille.pilots.max-file-bytes)");
        }
        return storage.directUpload(key, upload.size(), upload.sha256(), urlLifetime)
                .map(direct -> new UploadUrl(direct.url().toString(), direct.headers()))
                .orElse(new UploadUrl(null, null));
    }

    @PutMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/outputs")
    StoredOutput output(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                        @RequestParam String path, HttpServletRequest request) throws IOException {
        leaseOf(pilotId, attemptId).outputsStaged = true;
        String relative = confined(path);
        try (InputStream body = meter.receiving(capped(request, "output " + relative))) {
            var info = storage.put(AttemptFiles.stagingPrefix(attemptId) + relative, body);
            return new StoredOutput(relative, info.size(), info.sha256());
        }
    }

    /** One file of a checkpoint; the heartbeat that reports the checkpoint makes it count. */
    @PutMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/checkpoints/{events}")
    ResponseEntity<Void> checkpoint(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                                    @PathVariable long events, @RequestParam String path, HttpServletRequest request)
            throws IOException {
        Lease lease = leaseOf(pilotId, attemptId);
        requireCheckpoints(lease, attemptId, events);
        String relative = confined(path);
        try (InputStream body = meter.receiving(capped(request, "checkpoint file " + relative))) {
            storage.put(AttemptFiles.checkpointPrefix(attemptId) + events + "/" + relative, body);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/log")
    ResponseEntity<Void> log(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                             @RequestParam(defaultValue = "stdout") String stream, @RequestParam long offset,
                             HttpServletRequest request) throws IOException {
        leaseOf(pilotId, attemptId);
        if (offset < 0) {
            throw new InvalidRequestException("Invalid offset", "offset must not be negative, got " + offset);
        }
        var which = LogStore.LogStream.parse(stream);
        long max = limits.maxLogBytes().toBytes();
        long declared = Math.max(0, request.getContentLengthLong());
        Supplier<TooLargeException> tooLarge = () -> new TooLargeException("the " + which.name().toLowerCase(Locale.ROOT)
                + " log of attempt " + attemptId + " may hold at most " + max + " bytes (escadrille.pilots.max-log-bytes):"
                + " a write at offset " + offset + (declared > 0 ? " of " + declared + " bytes" : "") + " would go past it");
        if (offset > max - declared) {
            throw tooLarge.get();
        }
        try (InputStream body = new BoundedStream(request.getInputStream(), max - offset, tooLarge)) {
            logs.write(attemptId, which, offset, body);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping(PilotProtocol.ATTEMPTS + "/{attemptId}/complete")
    CompletionReceipt complete(@AuthenticationPrincipal String pilotId, @PathVariable String attemptId,
                               @RequestBody Completion completion) {
        requireOwnAttempt(pilotId, attemptId);
        var receipt = scheduler.complete(pilotId, attemptId, completion);
        if (!receipt.accepted()) {
            log.info("discarded the completion of attempt {} from pilot {}: the lease was no longer its", attemptId, pilotId);
        }
        return receipt;
    }

    /** Several completions at once (a pilot of short tasks reports them in batches); one receipt each, in order. */
    @PostMapping(PilotProtocol.COMPLETIONS)
    CompletionBatch.Receipts completeAll(@AuthenticationPrincipal String pilotId, @RequestBody CompletionBatch batch) {
        // One attempt of another pilot refuses the whole batch: a pilot that follows the protocol never sends one.
        batch.completions().forEach(item -> requireOwnAttempt(pilotId, item.attemptId()));
        var receipts = scheduler.completeAll(pilotId, batch.completions());
        for (int i = 0; i < receipts.size(); i++) {
            if (!receipts.get(i).accepted()) {
                log.info("discarded the completion of attempt {} from pilot {}: the lease was no longer its",
                        batch.completions().get(i).attemptId(), pilotId);
            }
        }
        return new CompletionBatch.Receipts(receipts);
    }

    private static void requireCheckpoints(Lease lease, String attemptId, long events) {
        if (events < 1) {
            throw new InvalidRequestException("Invalid checkpoint", "events must be at least 1, got " + events);
        }
        var progress = lease.definition().spec().progress();
        if (progress == null || progress.checkpointDir() == null) {
            throw new InvalidRequestException("Invalid checkpoint", "the task of attempt " + attemptId
                    + " does not declare a checkpoint-dir");
        }
    }

    private Lease leaseOf(String pilotId, String attemptId) {
        Lease lease = scheduler.leaseOf(attemptId);
        if (lease == null || !lease.pilotId.equals(pilotId)) {
            throw new NotFoundException("attempt " + attemptId + " is not leased to this pilot");
        }
        return lease;
    }

    /** A completion is for an attempt that is, or was, this pilot's; another's is a 404, as for every attempt call. */
    private void requireOwnAttempt(String pilotId, String attemptId) {
        if (!scheduler.isOrWasLeasedTo(attemptId, pilotId)) {
            throw new NotFoundException("attempt " + attemptId + " is not leased to this pilot");
        }
    }

    /** The body of an upload, held to {@code escadrille.pilots.max-file-bytes}: by its Content-Length first, then as it streams. */
    private InputStream capped(HttpServletRequest request, String what) throws IOException {
        long max = limits.maxFileBytes().toBytes();
        Supplier<TooLargeException> tooLarge = () -> new TooLargeException(what + " is larger than " + max
                + " bytes, the most a pilot may upload in one file (escadrille.pilots.max-file-bytes)");
        if (request.getContentLengthLong() > max) {
            throw tooLarge.get();
        }
        return new BoundedStream(request.getInputStream(), max, tooLarge);
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
