package org.escadrille.pilot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
import org.escadrille.protocol.ProtocolJson;
import org.escadrille.protocol.StoredOutput;
import org.escadrille.protocol.TaskAssignment;
import org.escadrille.protocol.UploadUrl;

/**
 * A stand-in for the Escadrille server at the HTTP boundary, on 127.0.0.1 with the JDK's HttpServer:
 * a fake, because the real server lives in the {@code server} module, which is built after this one
 * (its end-to-end tests run real pilots against it). It speaks the protocol's paths and records, and
 * records what the pilot sent so that tests can assert on it.
 */
final class FakePilotServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    final Queue<TaskAssignment> tasksToLease = new ConcurrentLinkedQueue<>();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<PilotRegistration> registrations = new CopyOnWriteArrayList<>();
    final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
    /** When each heartbeat arrived ({@link System#nanoTime()}), in order. */
    final List<Long> heartbeatNanos = new CopyOnWriteArrayList<>();
    final Map<String, Completion> completions = new ConcurrentHashMap<>();
    final List<LeaseRequest> leaseRequests = new CopyOnWriteArrayList<>();
    final List<Integer> completionBatches = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> outputs = new ConcurrentHashMap<>();
    /** Checkpoint files by {@code attempt/events/path}. */
    final Map<String, byte[]> checkpoints = new ConcurrentHashMap<>();
    final Map<String, byte[]> logs = new ConcurrentHashMap<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final Map<String, String> authorizationByPath = new ConcurrentHashMap<>();
    /** Paths under /files/ answered with a redirect to the URL given. */
    final Map<String, String> redirects = new ConcurrentHashMap<>();
    final AtomicInteger byes = new AtomicInteger();
    /** Whether the registration says outputs go straight to storage: then they land in {@link #bucket}. */
    volatile boolean directUploads;
    /** What pilots asked to upload directly, in order. */
    final List<OutputUpload> directUploadRequests = new CopyOnWriteArrayList<>();
    /** Objects PUT to the stand-in bucket (on {@code localhost}, another origin), by {@code attempt/path}. */
    final Map<String, byte[]> bucket = new ConcurrentHashMap<>();
    /** The headers of each PUT to the bucket, by {@code attempt/path} (lower-case names). */
    final Map<String, Map<String, String>> bucketHeaders = new ConcurrentHashMap<>();

    /** Answers every heartbeat with orders computed from it. */
    volatile Function<Heartbeat, List<Order>> orders = heartbeat -> List.of();
    /** Answers the heartbeats that lease requests carry with these orders instead of {@link #orders}, when set. */
    volatile Function<Heartbeat, List<Order>> leaseOrders;
    /** Answers every heartbeat with stop targets computed from it (attempt id to events). */
    volatile Function<Heartbeat, Map<String, Long>> stopAt = heartbeat -> Map.of();
    /** Which of the attempts a registration lists the server adopts. */
    volatile Function<List<String>, List<String>> adopt = running -> running;
    volatile boolean drainWhenNothingQueued;
    /** When set (more than 0) and nothing is queued: lease requests are answered at once to come back after this long. */
    volatile long retryAfterMs;
    /** When each lease request arrived ({@link System#nanoTime()}), in order. */
    final List<Long> leaseRequestNanos = new CopyOnWriteArrayList<>();
    volatile boolean forgetPilotOnce;
    volatile int registrationStatus = 200;
    /** Whether each heartbeat reply carries a fresh session token ({@code session-2}, {@code session-3}, …). */
    volatile boolean rotateSessions = true;
    /** Whether the registration says lease replies renew the session, and each lease reply then carries a fresh token. */
    volatile boolean leaseRenewsSession;
    /**
     * Whether the registration says lease requests may carry the attempts' statuses: such a request is answered
     * with the reply a heartbeat would get ({@link #orders}, {@link #stopAt}), at once when it has any.
     */
    volatile boolean leaseTakesStatuses;
    /** The heartbeat interval heartbeat replies tell from now on (0: none, the registration's 200 ms stays). */
    volatile long heartbeatRepliesPace;
    /** The heartbeat interval lease grants tell from now on (0: none). */
    volatile long leaseGrantsPace;
    /** Answers 401 to every call but the registration (an expired session token). */
    volatile boolean refuseSessions;
    /** The session tokens handed out, oldest first: {@code session-1} answers the registration. */
    final List<String> sessionTokens = new CopyOnWriteArrayList<>();
    /** When each session token was replaced by the next: like the real server, it works for a grace after. */
    private final Map<String, Long> replacedAtMs = new ConcurrentHashMap<>();
    static final long SESSION_GRACE_MS = 2_000;
    /** Protocol calls that carried a token the real server would refuse (spent, replaced, unknown). */
    final List<String> refusedAuthorizations = new CopyOnWriteArrayList<>();

    FakePilotServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(threads);
        http.createContext("/", this::handle);
        http.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** The bytes written to one log, as the real server would have stored them. */
    String log(String attemptId, String stream) {
        byte[] bytes = logs.get(attemptId + "/" + stream);
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst(PilotProtocol.AUTHORIZATION));
            String path = exchange.getRequestURI().getPath();
            authorizations.add(authorization);
            authorizationByPath.put(path, authorization);
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.equals(PilotProtocol.REGISTER)) {
                if (registrationStatus != 200) {
                    exchange.sendResponseHeaders(registrationStatus, -1);
                    return;
                }
                var registration = ProtocolJson.read(body, PilotRegistration.class);
                registrations.add(registration);
                json(exchange, new PilotRegistered("p1", 200, 60_000, adopt.apply(registration.runningAttempts()),
                        newSessionToken(), directUploads, leaseRenewsSession, leaseTakesStatuses));
            } else if (path.startsWith("/bucket/")) {
                String key = URLDecoder.decode(path.substring("/bucket/".length()), StandardCharsets.UTF_8);
                var headers = new HashMap<String, String>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
                bucketHeaders.put(key, headers);
                bucket.put(key, body);
                exchange.sendResponseHeaders(200, -1);
            } else if (refuseSessions || (!path.startsWith("/files/") && !validSession(authorization))) {
                exchange.sendResponseHeaders(401, -1);
            } else if (path.equals(PilotProtocol.LEASE)) {
                json(exchange, lease(ProtocolJson.read(body, LeaseRequest.class))
                        .withSessionToken(leaseRenewsSession && rotateSessions ? newSessionToken() : null)
                        .withHeartbeatInterval(leaseGrantsPace));
            } else if (path.equals(PilotProtocol.HEARTBEAT)) {
                var heartbeat = ProtocolJson.read(body, Heartbeat.class);
                heartbeats.add(heartbeat);
                heartbeatNanos.add(System.nanoTime());
                boolean forget = forgetPilotOnce;
                forgetPilotOnce = false;
                json(exchange, new HeartbeatReply(orders.apply(heartbeat), false, forget, 0, stopAt.apply(heartbeat))
                        .withSessionToken(rotateSessions ? newSessionToken() : null).withHeartbeatInterval(heartbeatRepliesPace));
            } else if (path.equals(PilotProtocol.COMPLETIONS)) {
                var batch = ProtocolJson.read(body, CompletionBatch.class);
                completionBatches.add(batch.completions().size());
                var receipts = new ArrayList<CompletionReceipt>();
                for (var item : batch.completions()) {
                    completions.putIfAbsent(item.attemptId(), item.completion());
                    receipts.add(new CompletionReceipt(true, null));
                }
                json(exchange, new CompletionBatch.Receipts(receipts));
            } else if (path.equals(PilotProtocol.BYE)) {
                byes.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            } else if (redirects.containsKey(path)) {
                exchange.getResponseHeaders().add("Location", redirects.get(path));
                exchange.sendResponseHeaders(302, -1);
            } else if (path.startsWith("/files/")) {
                byte[] file = files.get(path.substring("/files/".length()));
                exchange.sendResponseHeaders(200, file.length);
                exchange.getResponseBody().write(file);
            } else if (path.startsWith(PilotProtocol.ATTEMPTS + "/")) {
                attemptEndpoint(exchange, path.substring(PilotProtocol.ATTEMPTS.length() + 1).split("/"), query, body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private synchronized String newSessionToken() {
        String token = "session-" + (sessionTokens.size() + 1);
        if (!sessionTokens.isEmpty()) {
            replacedAtMs.put(sessionTokens.get(sessionTokens.size() - 1), System.currentTimeMillis());
        }
        sessionTokens.add(token);
        return token;
    }

    /** The newest session token, or one replaced less than the grace ago; else the call is recorded as refused. */
    private boolean validSession(String authorization) {
        String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        Long replaced = replacedAtMs.get(token);
        boolean valid = sessionTokens.contains(token)
                && (replaced == null || System.currentTimeMillis() - replaced < SESSION_GRACE_MS);
        if (!valid) {
            refusedAuthorizations.add(authorization);
        }
        return valid;
    }

    private void attemptEndpoint(HttpExchange exchange, String[] parts, Map<String, String> query, byte[] body)
            throws IOException {
        String attemptId = parts[0];
        switch (parts[1]) {
            case "log" -> {
                logs.merge(attemptId + "/" + query.get("stream"), writeAt(new byte[0], Long.parseLong(query.get("offset")), body),
                        (old, ignored) -> writeAt(old, Long.parseLong(query.get("offset")), body));
                exchange.sendResponseHeaders(204, -1);
            }
            case "outputs" -> {
                if (parts.length > 2 && parts[2].equals("direct")) {
                    var upload = ProtocolJson.read(body, OutputUpload.class);
                    directUploadRequests.add(upload);
                    // "localhost" is another origin than the pilot's "127.0.0.1", as a presigned S3 URL would be.
                    json(exchange, new UploadUrl("http://localhost:" + uri().getPort() + "/bucket/" + attemptId + "/"
                            + upload.path().replace(" ", "%20"), Map.of("x-amz-meta-sha256", upload.sha256(), "Host", "ignored")));
                    return;
                }
                outputs.put(attemptId + "/" + query.get("path"), body);
                json(exchange, new StoredOutput("executions/e1/" + query.get("path"), body.length, "unused"));
            }
            case "checkpoints" -> {
                if (parts.length > 3 && parts[3].equals("direct")) {
                    var upload = ProtocolJson.read(body, OutputUpload.class);
                    directUploadRequests.add(upload);
                    json(exchange, new UploadUrl("http://localhost:" + uri().getPort() + "/bucket/" + attemptId + "/checkpoints/"
                            + parts[2] + "/" + upload.path().replace(" ", "%20"), Map.of("x-amz-meta-sha256", upload.sha256())));
                    return;
                }
                checkpoints.put(attemptId + "/" + parts[2] + "/" + query.get("path"), body);
                exchange.sendResponseHeaders(204, -1);
            }
            case "complete" -> {
                completions.putIfAbsent(attemptId, ProtocolJson.read(body, Completion.class));
                json(exchange, new CompletionReceipt(true, null));
            }
            default -> exchange.sendResponseHeaders(404, -1);
        }
    }

    private LeaseGrant lease(LeaseRequest request) {
        leaseRequests.add(request);
        leaseRequestNanos.add(System.nanoTime());
        if (!request.attempts().isEmpty()) {
            var heartbeat = new Heartbeat(request.attempts(), request.freeSlots());
            var ordered = leaseOrders == null ? orders : leaseOrders;
            var reply = new HeartbeatReply(ordered.apply(heartbeat), false, false, 0, stopAt.apply(heartbeat));
            if (!reply.orders().isEmpty() || !reply.stopAt().isEmpty()) {
                return LeaseGrant.none().withHeartbeat(reply);
            }
            return leaseTasks(request).withHeartbeat(reply);
        }
        return leaseTasks(request);
    }

    private LeaseGrant leaseTasks(LeaseRequest request) {
        var tasks = new ArrayList<TaskAssignment>();
        TaskAssignment task;
        while (tasks.size() < request.freeSlots() + request.prefetch() && (task = tasksToLease.poll()) != null) {
            tasks.add(task);
        }
        if (tasks.isEmpty()) {
            if (drainWhenNothingQueued) {
                return new LeaseGrant(List.of(), true);
            }
            if (retryAfterMs > 0) {
                return LeaseGrant.later(retryAfterMs);
            }
            // A short long poll: enough to keep the pilot from spinning.
            try {
                Thread.sleep(Math.min(request.waitMs(), 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new LeaseGrant(tasks, false);
    }

    private static byte[] writeAt(byte[] existing, long offset, byte[] chunk) {
        var out = new ByteArrayOutputStream();
        out.write(existing, 0, (int) Math.min(existing.length, offset));
        out.write(chunk, 0, chunk.length);
        return out.toByteArray();
    }

    private static void json(HttpExchange exchange, Object value) throws IOException {
        byte[] bytes = ProtocolJson.write(value);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        var query = new HashMap<String, String>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }
}
