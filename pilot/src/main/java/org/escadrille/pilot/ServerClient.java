package org.escadrille.pilot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import org.escadrille.protocol.Completion;
import org.escadrille.protocol.CompletionBatch;
import org.escadrille.protocol.CompletionReceipt;
import org.escadrille.protocol.Heartbeat;
import org.escadrille.protocol.HeartbeatReply;
import org.escadrille.protocol.LeaseGrant;
import org.escadrille.protocol.LeaseRequest;
import org.escadrille.protocol.PilotProtocol;
import org.escadrille.protocol.OutputUpload;
import org.escadrille.protocol.PilotRegistered;
import org.escadrille.protocol.PilotRegistration;
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.Sha256;
import org.escadrille.protocol.StoredOutput;
import org.escadrille.protocol.UploadUrl;

/**
 * The pilot's side of the pilot protocol over HTTP: one method per endpoint, each turning the
 * answer into a record or into one of the pilot's exceptions ({@link ServerUnreachableException}
 * to retry, {@link TokenRejectedException}, {@link AttemptGoneException},
 * {@link RequestRefusedException}). A call that a busy server sheds (503 or 429 with {@code Retry-After})
 * is sent again as it is, after the wait asked for plus jitter, without counting the server unreachable.
 */
final class ServerClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Extra time granted to a long poll beyond the wait the server was asked for. */
    private static final Duration LEASE_GRACE = Duration.ofSeconds(15);
    private static final int MAX_REDIRECTS = 5;
    /** The jitter window added to a busy server's Retry-After: 250 ms, doubling for each shed in a row, at most 5 s. */
    private static final Duration BUSY_JITTER_INITIAL = Duration.ofMillis(250);
    private static final Duration BUSY_JITTER_CAP = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(ServerClient.class.getName());
    /** Headers the JDK's HttpClient sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final URI server;
    /**
     * The newest token the server gave: the registration token until it answers the registration,
     * then the session token, replaced by each fresh one a heartbeat or lease reply brings. In memory only.
     */
    private volatile String token;
    /** Whether the server said at registration that outputs may go straight to its storage. */
    private volatile boolean directUploads;
    private final String userAgent;
    private final ServerReachability reachability;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    ServerClient(HttpClient http, URI server, String token, String pilotVersion, ServerReachability reachability) {
        this(http, server, token, pilotVersion, reachability, Clock.systemUTC(), Sleeper.SYSTEM, new SplittableRandom());
    }

    /**
     * @param clock   reads the HTTP dates of {@code Retry-After}
     * @param sleeper waits before a call that a busy server shed is sent again
     * @param random  draws the jitter added to those waits
     */
    ServerClient(HttpClient http, URI server, String token, String pilotVersion, ServerReachability reachability,
                 Clock clock, Sleeper sleeper, RandomGenerator random) {
        this.http = http;
        this.server = server;
        this.token = Objects.requireNonNull(token, "token");
        this.userAgent = "escadrille-pilot/" + pilotVersion;
        this.reachability = reachability;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Registers (spending the registration token); every later call carries the session token answered. */
    PilotRegistered register(PilotRegistration registration) {
        PilotRegistered answer = postJson(PilotProtocol.REGISTER, registration, PilotRegistered.class, REQUEST_TIMEOUT);
        useToken(answer.sessionToken());
        directUploads = answer.directUploads();
        return answer;
    }

    /** Whether outputs go straight to the server's storage ({@link #uploadOutputDirectly}) rather than through it. */
    boolean directUploads() {
        return directUploads;
    }

    /** A long poll: waits up to {@code request.waitMs()} for tasks; a fresh session token in the reply replaces the pilot's. */
    LeaseGrant lease(LeaseRequest request) {
        var timeout = Duration.ofMillis(request.waitMs()).plus(LEASE_GRACE);
        LeaseGrant grant = postJson(PilotProtocol.LEASE, request, LeaseGrant.class, timeout);
        useToken(grant.sessionToken());
        return grant;
    }

    /** One heartbeat; a fresh session token in the reply replaces the one the pilot had (rotation). */
    HeartbeatReply heartbeat(Heartbeat heartbeat) {
        HeartbeatReply reply = postJson(PilotProtocol.HEARTBEAT, heartbeat, HeartbeatReply.class, REQUEST_TIMEOUT);
        useToken(reply.sessionToken());
        return reply;
    }

    /** A server that sends no token (an older one) leaves the pilot the token it has. */
    private void useToken(String fresh) {
        if (fresh != null && !fresh.isBlank()) {
            token = fresh;
        }
    }

    void bye() {
        var request = serverRequest(PilotProtocol.BYE, REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        send(request, HttpResponse.BodyHandlers.discarding(), "bye", true);
    }

    /**
     * Streams one input to {@code target} and returns its size. A relative {@code url} is the
     * server's; an absolute one on another host (a presigned URL) gets no token.
     */
    long download(String url, Path target) throws IOException {
        URI uri = url.startsWith("/") ? resolve(url) : URI.create(url);
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            for (int hop = 0; ; hop++) {
                boolean ours = sameOrigin(uri);
                var builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET();
                decorate(builder, ours);
                try {
                    send(builder.build(), intoFile(partial), "download of " + target.getFileName(), ours);
                    break;
                } catch (Redirect redirect) {
                    // Followed here rather than by the HttpClient, so that the token never follows
                    // a redirect to another host.
                    if (hop >= MAX_REDIRECTS) {
                        throw new RequestRefusedException("download of " + target.getFileName() + ": too many redirects");
                    }
                    uri = uri.resolve(redirect.location);
                }
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return Files.size(target);
    }

    /** Streams one output file; {@code relativePath} is its path in the working directory. */
    StoredOutput uploadOutput(String attemptId, String relativePath, Path file) throws IOException {
        long size = Files.size(file);
        // A slow link must not time out a large upload: allow 1 MiB/s on top of the usual timeout.
        var timeout = REQUEST_TIMEOUT.plusSeconds(size / (1 << 20));
        var request = serverRequest(PilotProtocol.outputPath(attemptId) + "?path=" + encode(relativePath), timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        byte[] body = send(request, HttpResponse.BodyHandlers.ofByteArray(), "upload of " + relativePath, true).body();
        return ProtocolJson.read(body, StoredOutput.class);
    }

    /**
     * Streams one output straight to the server's storage: asks the server for a URL bound to the
     * file's size and SHA-256, then PUTs the file there, without the pilot's token (the URL is the
     * permission). A server that answers without a URL gets the file itself ({@link #uploadOutput}).
     * A fresh URL is asked for at every try, so that a retry never uses one that expired.
     */
    StoredOutput uploadOutputDirectly(String attemptId, String relativePath, Path file, long size, String sha256)
            throws IOException {
        UploadUrl target = postJson(PilotProtocol.directOutputPath(attemptId), new OutputUpload(relativePath, size, sha256),
                UploadUrl.class, REQUEST_TIMEOUT);
        if (!target.direct()) {
            return uploadOutput(attemptId, relativePath, file);
        }
        putDirectly(target, file, size, "upload of " + relativePath);
        return new StoredOutput(relativePath, size, sha256);
    }

    /** A PUT of the file to a URL the server signed: without the pilot's token unless it is the server's own. */
    private void putDirectly(UploadUrl target, Path file, long size, String what) throws IOException {
        putDirectly(target, HttpRequest.BodyPublishers.ofFile(file), size, what);
    }

    /** A PUT of {@code body} ({@code size} bytes) to a URL the server signed, as {@link #putDirectly(UploadUrl, Path, long, String)}. */
    void putDirectly(UploadUrl target, HttpRequest.BodyPublisher body, long size, String what) {
        URI uri = URI.create(target.url());
        var timeout = REQUEST_TIMEOUT.plusSeconds(size / (1 << 20));
        var builder = HttpRequest.newBuilder(uri).timeout(timeout).PUT(body);
        target.headers().forEach((name, value) -> {
            if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        boolean ours = sameOrigin(uri);
        decorate(builder, ours);
        send(builder.build(), HttpResponse.BodyHandlers.ofByteArray(), what, ours);
    }

    /**
     * Streams one file of a checkpoint; {@code relativePath} is its path in the checkpoint's directory.
     * Straight to the storage when the server allows it ({@link #directUploads}), as outputs go.
     */
    void uploadCheckpoint(String attemptId, long events, String relativePath, Path file) throws IOException {
        long size = Files.size(file);
        if (directUploads) {
            UploadUrl target = postJson(PilotProtocol.directCheckpointPath(attemptId, events),
                    new OutputUpload(relativePath, size, Sha256.of(file)), UploadUrl.class, REQUEST_TIMEOUT);
            if (target.direct()) {
                putDirectly(target, file, size, "checkpoint " + events + " " + relativePath);
                return;
            }
        }
        var timeout = REQUEST_TIMEOUT.plusSeconds(size / (1 << 20));
        var request = serverRequest(PilotProtocol.checkpointPath(attemptId, events) + "?path=" + encode(relativePath), timeout)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        send(request, HttpResponse.BodyHandlers.discarding(), "checkpoint " + events + " " + relativePath, true);
    }

    /** Writes {@code length} bytes of a log at {@code offset}: the server writes at the offset, so a retry is harmless. */
    void appendLog(String attemptId, String stream, long offset, byte[] bytes, int length) {
        var request = serverRequest(PilotProtocol.logPath(attemptId) + "?stream=" + stream + "&offset=" + offset,
                REQUEST_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes, 0, length)).build();
        send(request, HttpResponse.BodyHandlers.discarding(), stream + " log", true);
    }

    CompletionReceipt complete(String attemptId, Completion completion) {
        return postJson(PilotProtocol.completionPath(attemptId), completion, CompletionReceipt.class, REQUEST_TIMEOUT);
    }

    CompletionBatch.Receipts completeAll(CompletionBatch batch) {
        return postJson(PilotProtocol.COMPLETIONS, batch, CompletionBatch.Receipts.class, REQUEST_TIMEOUT);
    }

    /** A call of the protocol: {@code body} as JSON to {@code path}, the answer read as {@code type}. */
    <T> T post(String path, Object body, Class<T> type) {
        return postJson(path, body, type, REQUEST_TIMEOUT);
    }

    private <T> T postJson(String path, Object body, Class<T> type, Duration timeout) {
        var request = serverRequest(path, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(body))).build();
        byte[] answer = send(request, HttpResponse.BodyHandlers.ofByteArray(), path, true).body();
        return ProtocolJson.read(answer, type);
    }

    private HttpRequest.Builder serverRequest(String path, Duration timeout) {
        var builder = HttpRequest.newBuilder(resolve(path)).timeout(timeout);
        decorate(builder, true);
        return builder;
    }

    private void decorate(HttpRequest.Builder builder, boolean ours) {
        builder.header("User-Agent", userAgent).header("Accept", "application/json");
        if (ours) {
            // The token is the pilot's identity: it never goes to another host (e.g. an S3 bucket).
            builder.header(PilotProtocol.AUTHORIZATION, "Bearer " + token);
        }
    }

    /**
     * Sends the request, and sends it again as it is while the server answers that it is busy (503 or 429
     * with {@code Retry-After}: {@link #awaitRoom}); then turns the answer into a response or an exception.
     */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what,
                                     boolean ours) {
        Backoff jitter = new Backoff(BUSY_JITTER_INITIAL, BUSY_JITTER_CAP, random);
        long patienceMs = request.timeout().orElse(REQUEST_TIMEOUT).toMillis();
        long waitedMs = 0;
        while (true) {
            HttpResponse<T> response = exchange(request, handler, what, ours);
            var retryAfter = busy(response);
            if (retryAfter.isEmpty()) {
                return answer(response, what, ours);
            }
            // It answered: the server is alive, just busy. That is not the server being unreachable.
            if (ours) {
                reachability.answered();
            }
            long delayMs = jitter.afterBusyMs(retryAfter.get());
            awaitRoom(what, response.statusCode(), delayMs, waitedMs == 0);
            waitedMs += delayMs;
            if (waitedMs >= patienceMs) {
                // Handed back to the caller's loop, which sends the same call again after its own backoff
                // (and notices meanwhile whether the pilot is stopping).
                throw new ServerUnreachableException(what + ": server busy (HTTP " + response.statusCode()
                        + ") for " + waitedMs / 1000 + " s");
            }
        }
    }

    /** The wait a busy server asked for, when this answer is one: 503 or 429 with a usable {@code Retry-After}. */
    private Optional<Duration> busy(HttpResponse<?> response) {
        int status = response.statusCode();
        if (status != 503 && status != 429) {
            return Optional.empty();
        }
        return RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
    }

    private void awaitRoom(String what, int status, long delayMs, boolean first) {
        if (first) {
            LOG.info(() -> what + ": server busy (HTTP " + status + "), sending it again in " + delayMs + " ms");
        }
        try {
            sleeper.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(what + ": interrupted");
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what,
                                         boolean ours) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            var why = what + ": " + describe(e);
            if (ours) {
                reachability.unreachable(why);
            }
            throw new ServerUnreachableException(why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException(what + ": interrupted");
        }
    }

    private <T> HttpResponse<T> answer(HttpResponse<T> response, String what, boolean ours) {
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            var why = what + ": HTTP " + status;
            if (ours) {
                reachability.unreachable(why);
            }
            throw new ServerUnreachableException(why);
        }
        if (ours) {
            reachability.answered();
        }
        if (status >= 200 && status < 300) {
            return response;
        }
        var location = response.headers().firstValue("Location");
        if (status >= 300 && status < 400 && location.isPresent()) {
            throw new Redirect(location.get());
        }
        String detail = what + " refused with HTTP " + status + bodyExcerpt(response.body());
        if (ours && (status == 401 || status == 403)) {
            throw new TokenRejectedException(detail);
        }
        if (ours && (status == 404 || status == 409 || status == 410)) {
            throw new AttemptGoneException(detail);
        }
        throw new RequestRefusedException(detail);
    }

    /** The body into {@code file} when the answer is a success; another answer (an error, a busy server's) leaves it alone. */
    private static HttpResponse.BodyHandler<Path> intoFile(Path file) {
        return info -> info.statusCode() >= 200 && info.statusCode() < 300
                ? HttpResponse.BodySubscribers.ofFile(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : HttpResponse.BodySubscribers.replacing(file);
    }

    private URI resolve(String path) {
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private boolean sameOrigin(URI uri) {
        return Objects.equals(uri.getScheme(), server.getScheme())
                && Objects.equals(uri.getHost(), server.getHost())
                && uri.getPort() == server.getPort();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    private static String bodyExcerpt(Object body) {
        if (body instanceof byte[] bytes && bytes.length > 0) {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : ": " + text;
        }
        return "";
    }

    /** A 3xx answer; only downloads follow it, the protocol's own endpoints never redirect. */
    private static final class Redirect extends RequestRefusedException {
        final String location;

        Redirect(String location) {
            super("redirected to " + location);
            this.location = location;
        }
    }
}
