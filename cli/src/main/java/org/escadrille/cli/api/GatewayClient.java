package org.escadrille.cli.api;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the native API of one gateway ({@code /api/v1}, see {@code docs/native-api.md}) with its
 * API key, turning error statuses into {@link ProblemException} and silence into
 * {@link UnreachableException}.
 */
public final class GatewayClient {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** How many of the newest executions {@code status} lists. */
    public static final int EXECUTIONS_SHOWN = 500;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final URI baseUrl;
    private final URI displayUrl;
    private final String apiKey;
    private final JsonMapper json;

    /** {@code apiKey} may be null: the server then answers 401 to everything but the health check. */
    public GatewayClient(HttpClient http, URI baseUrl, String apiKey, JsonMapper json) {
        this.http = http;
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.displayUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.apiKey = apiKey;
        this.json = json;
    }

    /** HTTP/1.1 because the servers we talk to speak it, and the JDK's h2c upgrade only adds a round trip. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The gateway's URL as the person gave it, for messages. */
    public URI baseUrl() {
        return displayUrl;
    }

    /** True when nothing listens at the URL, the one case where falling back to the embedded mode is right. */
    public boolean refusesConnections() {
        HttpRequest request = request("health").timeout(PROBE_TIMEOUT).GET().build();
        try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UnreachableException.interrupted(displayUrl);
        }
    }

    public Reply<List<AppSummary>> apps() {
        return pages("apps", AppSummary.class, Integer.MAX_VALUE);
    }

    public Reply<AppSummary> app(String name) {
        return call(request("apps/" + ApiPaths.segment(name)).GET(), type(AppSummary.class));
    }

    /** Publishes a descriptor (roles admin and developer); the server validates it. */
    public Reply<AppSummary> publish(byte[] descriptor) {
        HttpRequest.Builder request = request("apps")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(descriptor));
        return call(request, type(AppSummary.class));
    }

    public Reply<Execution> launch(LaunchRequest launch) {
        HttpRequest.Builder request = request("executions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(launch)));
        return call(request, type(Execution.class));
    }

    /** The newest executions, at most {@link #EXECUTIONS_SHOWN} (the server sends them in pages). */
    public Reply<List<Execution>> executions() {
        return pages("executions", Execution.class, EXECUTIONS_SHOWN);
    }

    /** Deletes an execution (killed first if it runs); with {@code files}, its outputs too. */
    public void delete(String id, boolean files) {
        HttpRequest request = request("executions/" + ApiPaths.segment(id) + "?deleteFiles=" + files)
                .timeout(CALL_TIMEOUT).DELETE().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
    }

    public Reply<Execution> execution(String id) {
        return call(request("executions/" + ApiPaths.segment(id)).GET(), type(Execution.class));
    }

    /** The execution's report: one self-contained HTML file (a snapshot while the execution runs). */
    public byte[] report(String executionId) {
        HttpRequest request = request("executions/" + ApiPaths.segment(executionId) + "/report")
                .header("Accept", "text/html, application/problem+json")
                .timeout(CALL_TIMEOUT).GET().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
        return response.body();
    }

    public Reply<List<Task>> tasks(String executionId) {
        return call(request("executions/" + ApiPaths.segment(executionId) + "/tasks").GET(), listOf(Task.class));
    }

    public Reply<Execution> kill(String id) {
        return call(request("executions/" + ApiPaths.segment(id) + "/kill").POST(HttpRequest.BodyPublishers.noBody()),
                type(Execution.class));
    }

    /** A new execution of the same application and inputs; {@code onlyFailed}: the tasks that succeeded reuse their outputs. */
    public Reply<Execution> rerun(String id, boolean onlyFailed) {
        return call(request("executions/" + ApiPaths.segment(id) + "/rerun" + (onlyFailed ? "?failed=true" : ""))
                .POST(HttpRequest.BodyPublishers.noBody()), type(Execution.class));
    }

    /**
     * A new execution of what a Workflow Run RO-Crate records (the same descriptor, inputs by checksum,
     * Monte-Carlo seeds and shares), from the crate's {@code ro-crate-metadata.json}.
     */
    public Reply<Execution> replay(byte[] crateMetadata) {
        return call(request("executions/replay").header("Content-Type", "application/ld+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(crateMetadata)), type(Execution.class));
    }

    /** Opens an ended execution's Workflow Run RO-Crate (a ZIP) for reading; the caller closes the stream. */
    public InputStream crate(String id) {
        HttpRequest request = request("executions/" + ApiPaths.segment(id) + "/crate")
                .header("Accept", "application/zip, application/problem+json")
                .GET().build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream(), null);
        if (response.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            failOnErrorStatus(request, response.statusCode(), body);
        }
        return response.body();
    }

    /** Stop and merge: a Monte-Carlo run ends now with what its tasks simulated. */
    public Reply<Execution> stop(String id) {
        return call(request("executions/" + ApiPaths.segment(id) + "/stop").POST(HttpRequest.BodyPublishers.noBody()),
                type(Execution.class));
    }

    /** The sites where pilots run, with their health (admins only). */
    public Reply<List<JsonNode>> sites() {
        return pages("sites", JsonNode.class, Integer.MAX_VALUE);
    }

    /** The kinds a site may be, each with its settings: name → meaning. */
    public Reply<JsonNode> siteKinds() {
        return call(request("site-kinds").GET(), type(JsonNode.class));
    }

    public Reply<JsonNode> site(String name) {
        return call(request("sites/" + ApiPaths.segment(name)).GET(), type(JsonNode.class));
    }

    /** Adds a site; a manual site's answer holds its token, shown this once. */
    public Reply<JsonNode> addSite(JsonNode site) {
        return call(request("sites").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(site))), type(JsonNode.class));
    }

    /** Changes the fields given (enabled, settings, limits, tags). */
    public Reply<JsonNode> changeSite(String name, JsonNode change) {
        return call(request("sites/" + ApiPaths.segment(name)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(change))), type(JsonNode.class));
    }

    public void removeSite(String name) {
        HttpRequest request = request("sites/" + ApiPaths.segment(name)).timeout(CALL_TIMEOUT).DELETE().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
    }

    /** A new token for a manual site (the one before stops working). */
    public Reply<JsonNode> rotateSiteToken(String name) {
        return call(request("sites/" + ApiPaths.segment(name) + "/token").POST(HttpRequest.BodyPublishers.noBody()),
                type(JsonNode.class));
    }

    public void revokeSiteToken(String name) {
        HttpRequest request = request("sites/" + ApiPaths.segment(name) + "/token").timeout(CALL_TIMEOUT).DELETE().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
    }

    /** A task's log from {@code offset}; {@code taskId} null means the execution's first task. */
    public LogChunk log(String executionId, String taskId, boolean stderr, long offset) {
        String query = "?stream=" + (stderr ? "stderr" : "stdout") + "&offset=" + offset
                + (taskId == null ? "" : "&task=" + ApiPaths.segment(taskId));
        HttpRequest request = request("executions/" + ApiPaths.segment(executionId) + "/logs" + query)
                .header("Accept", "text/plain, application/problem+json")
                .GET().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
        long next = response.headers().firstValue("X-Escadrille-Next-Offset")
                .map(Long::parseLong)
                .orElse(offset + response.body().length);
        boolean complete = response.headers().firstValue("X-Escadrille-Log-Complete")
                .map(Boolean::parseBoolean)
                .orElse(false);
        return new LogChunk(response.body(), next, complete);
    }

    /** Streams a local file to {@code path} in the user's space, reporting the bytes sent as they go. */
    public StoredFile upload(String path, Path file, LongConsumer sent) throws FileNotFoundException {
        HttpRequest.Builder request = request("files/" + ApiPaths.spacePath(path))
                .header("Content-Type", "application/octet-stream")
                .PUT(new DirectFileBodyPublisher(file, sent));
        // No timeout: a large upload takes as long as it takes, and the connect timeout still applies.
        Reply<StoredFile> stored = call(request, type(StoredFile.class), null);
        return stored.value();
    }

    /**
     * Usage of a month (admins only): {@code {"month", "by", "lines": [{"name", "members", "attempts",
     * "cpuHours", "wallHours", "storageBytes"}]}}; {@code month} null for the current one.
     */
    public Reply<JsonNode> usage(String month, String by) {
        return call(request(usagePath(month, by)).GET(), type(JsonNode.class));
    }

    /** The same usage as the server writes it in CSV, for spreadsheets. */
    public String usageCsv(String month, String by) {
        HttpRequest request = request(usagePath(month, by)).setHeader("Accept", "text/csv, application/problem+json")
                .timeout(CALL_TIMEOUT).build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String usagePath(String month, String by) {
        return "usage?by=" + ApiPaths.segment(by) + (month == null ? "" : "&month=" + ApiPaths.segment(month));
    }

    /**
     * A call of the native API that answers JSON, for commands whose requests are plain JSON (groups,
     * shares): {@code GET} with a null body, else the body sent as JSON.
     */
    public Reply<JsonNode> json(String method, String relative, JsonNode body) {
        var builder = request(relative).header("Content-Type", "application/json");
        builder = body == null ? builder.method(method, HttpRequest.BodyPublishers.noBody())
                : builder.method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        return call(builder, type(JsonNode.class));
    }

    /** A {@code DELETE} of the native API that answers nothing (204). */
    public void delete(String relative) {
        HttpRequest request = request(relative).timeout(CALL_TIMEOUT).DELETE().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
    }

    /**
     * Declares an upload of {@code size} bytes to {@code path}, to send straight to the storage: a new
     * one, or the caller's earlier one of that path and size with the parts already held. A server
     * whose storage takes no direct uploads, or one that predates them, answers {@link UploadTicket#THROUGH_SERVER}.
     */
    public UploadTicket beginUpload(String path, long size) {
        var body = json.createObjectNode().put("path", path).put("size", size);
        try {
            Reply<UploadTicket> ticket = call(request("uploads").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), type(UploadTicket.class));
            return ticket.value().direct() ? ticket.value() : UploadTicket.THROUGH_SERVER;
        } catch (ProblemException e) {
            if (e.problem().status() == 404 || e.problem().status() == 405) {
                return UploadTicket.THROUGH_SERVER;
            }
            throw e;
        }
    }

    /** Where to PUT part {@code number} of an upload; a file of one part names its SHA-256 (the URL is bound to it). */
    public PartUrl partUrl(String uploadId, int number, String sha256) {
        var body = json.createObjectNode();
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        Reply<PartUrl> url = call(request("uploads/" + ApiPaths.segment(uploadId) + "/parts/" + number)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), type(PartUrl.class));
        return url.value();
    }

    /**
     * PUTs the {@code length} bytes of {@code channel} from {@code offset} to a part's URL, straight to the storage:
     * without the API key, which never goes to another origin. They are read into a few direct buffers that the
     * socket sends as they are ({@link DirectFileBodyPublisher}), so a part is never whole in memory. Answers the
     * CRC32C of the bytes sent (read again if the client sent the body again).
     */
    public long putPart(PartUrl part, FileChannel channel, long offset, long length) {
        var body = DirectFileBodyPublisher.region(channel, offset, length);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(part.url())).PUT(body);
        part.headers().forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), null);
        if (response.statusCode() >= 300) {
            String said = new String(response.body(), StandardCharsets.UTF_8).strip();
            throw new ProblemException(new Problem("about:blank", "Storage refused a part", response.statusCode(),
                    "the storage answered HTTP " + response.statusCode() + " to part " + part.number()
                            + (said.isEmpty() ? "" : ": " + said.substring(0, Math.min(300, said.length()))), List.of()),
                    "PUT part " + part.number());
        }
        return body.crc32c();
    }

    /**
     * Completes an upload with the SHA-256 of the whole file: the server checks the parts and records it, with
     * the file's CRC32C (null: none) for downloads to be checked with.
     */
    public StoredFile completeUpload(String uploadId, String sha256, String crc32c) {
        var body = json.createObjectNode().put("sha256", sha256);
        if (crc32c != null) {
            body.put("crc32c", crc32c);
        }
        Reply<StoredFile> stored = call(request("uploads/" + ApiPaths.segment(uploadId) + "/complete")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))), type(StoredFile.class));
        return stored.value();
    }

    /** Who the caller is, with the storage they use and may use ({@code storage.usedBytes}, {@code storage.quotaBytes}). */
    public Reply<JsonNode> me() {
        return call(request("me").GET(), type(JsonNode.class));
    }

    /** A directory of the user's space, every page of it: {@code [{"name", "path", "directory", "size", "sha256"}]}. */
    public List<JsonNode> files(String dir) {
        var entries = new ArrayList<JsonNode>();
        String next = "files?dir=" + ApiPaths.segment(dir);
        while (next != null) {
            Reply<JsonNode> reply = call(request(next).GET(), type(JsonNode.class));
            JsonNode page = reply.value();
            page.path("entries").forEach(entries::add);
            String link = page.path("next").isString() ? page.path("next").asString() : null;
            next = link == null || link.isBlank() ? null : link.replaceFirst("^.*?/api/v1/", "");
        }
        return entries;
    }

    /** Deletes a file, or a directory with everything in it, of the user's space. */
    public void deleteFile(String path) {
        HttpRequest request = request("files/" + ApiPaths.spacePath(path)).timeout(CALL_TIMEOUT).DELETE().build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
        failOnErrorStatus(request, response.statusCode(), response.body());
    }

    /**
     * Downloads a file of the user's space into the body that {@code body} makes, straight from the
     * storage when the server hands out a URL for it (S3), else through the server. The body is made
     * only for an answer that carries the file (never for an error or an expired URL), from that answer's
     * status and headers (the server's {@code X-Escadrille-CRC32C}, say); a failure of the
     * body comes out as an {@link UnreachableException} caused by it, so the caller that made the body
     * tells its own failures (a local disk's) from the network's.
     */
    public <T> T download(String path, Function<HttpResponse.ResponseInfo, HttpResponse.BodySubscriber<T>> body) {
        String direct = directDownloadUrl(path);
        if (direct != null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(direct)).GET().build();
            Fetched<T> fetched = fetch(request, body);
            if (fetched.status() < 300) {
                return fetched.value();
            }
            // The URL failed (expired, the store down): the server's own path says why, or serves it.
        }
        HttpRequest request = request("files/" + ApiPaths.spacePath(path))
                .header("Accept", "application/octet-stream, application/problem+json")
                .GET().build();
        Fetched<T> fetched = fetch(request, body);
        if (fetched.status() >= 300) {
            // An error, or a redirect the client did not follow: either way no file to write.
            throw new ProblemException(problemOf(request, fetched.status(), fetched.error()), describe(request));
        }
        return fetched.value();
    }

    /**
     * Where a download in ranges reads a file's bytes from, found once for all its ranges: the file's presigned
     * URL (S3), or the server's files API (which then needs the API key on each range).
     */
    public record DownloadSource(URI uri, boolean throughServer) {
    }

    public DownloadSource downloadSource(String path) {
        String direct = directDownloadUrl(path);
        return direct != null ? new DownloadSource(URI.create(direct), false)
                : new DownloadSource(baseUrl.resolve("api/v1/files/" + ApiPaths.spacePath(path)), true);
    }

    /**
     * Bytes {@code first} to {@code last} (inclusive) of a file, into the body {@code body} makes from the answer's
     * status and headers; empty when the answer is not those very bytes (a {@code 206} whose {@code Content-Range}
     * names them: not so from a store that ignores ranges, for an error, a URL that expired) or when {@code body}
     * makes none (null: an answer the caller will not use). The caller then downloads the file in one piece, which
     * says what went wrong. The body of an answer not used is not read: the connection is closed.
     */
    public <T> Optional<T> downloadRange(DownloadSource source, long first, long last,
                                         Function<HttpResponse.ResponseInfo, HttpResponse.BodySubscriber<T>> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(source.uri()).header("Range", "bytes=" + first + "-" + last);
        if (source.throughServer()) {
            withKey(request.header("Accept", "application/octet-stream, application/problem+json"));
        }
        String range = "bytes " + first + "-" + last + "/";
        HttpResponse.BodyHandler<Optional<T>> handler = info -> {
            var subscriber = info.statusCode() == 206
                    && info.headers().firstValue("Content-Range").filter(named -> named.startsWith(range)).isPresent()
                    ? body.apply(info) : null;
            return subscriber == null ? new Refused<>() : HttpResponse.BodySubscribers.mapping(subscriber, Optional::of);
        };
        return exchange(request.GET().build(), handler, null).body();
    }

    /** The body of an answer that is not the range asked for: not read, the exchange ends empty at once. */
    private static final class Refused<T> implements HttpResponse.BodySubscriber<Optional<T>> {
        private final CompletableFuture<Optional<T>> body =
                CompletableFuture.completedFuture(Optional.empty());

        @Override
        public CompletionStage<Optional<T>> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    /** An answer: the body's value for a success, the error's bytes otherwise. */
    private record Fetched<T>(int status, T value, byte[] error) {
    }

    private <T> Fetched<T> fetch(HttpRequest request, Function<HttpResponse.ResponseInfo, HttpResponse.BodySubscriber<T>> body) {
        HttpResponse.BodyHandler<Fetched<T>> handler = info -> info.statusCode() < 300
                ? HttpResponse.BodySubscribers.mapping(body.apply(info), value -> new Fetched<>(info.statusCode(), value, null))
                : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                        error -> new Fetched<>(info.statusCode(), null, error));
        return exchange(request, handler, null).body();
    }

    /** The presigned URL of a file, or null: local storage, or a server without {@code /downloads}. */
    private String directDownloadUrl(String path) {
        try {
            Reply<JsonNode> reply = call(request("downloads/" + ApiPaths.spacePath(path)).GET(), type(JsonNode.class));
            JsonNode answer = reply.value();
            return answer.path("url").isString() ? answer.path("url").asString() : null;
        } catch (ProblemException e) {
            return null;
        }
    }

    private HttpRequest.Builder request(String relative) {
        return withKey(HttpRequest.newBuilder(baseUrl.resolve("api/v1/" + relative))
                .header("Accept", "application/json, application/problem+json"));
    }

    /** The API key, on a request to this server only: it never goes to another origin (a presigned URL's). */
    private HttpRequest.Builder withKey(HttpRequest.Builder builder) {
        if (apiKey != null) {
            builder.header("apikey", apiKey);
        }
        return builder;
    }

    /**
     * A list the server sends in pages: follows each page's {@code Link: <...>; rel="next"} until
     * {@code atMost} items or the end, and answers them as one JSON array.
     */
    private <T> Reply<List<T>> pages(String relative, Class<T> element, int atMost) {
        var all = json.getNodeFactory().arrayNode();
        URI next = baseUrl.resolve("api/v1/" + relative);
        while (next != null && all.size() < atMost) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(next).timeout(CALL_TIMEOUT)
                    .header("Accept", "application/json, application/problem+json");
            if (apiKey != null) {
                builder.header("apikey", apiKey);
            }
            HttpRequest request = builder.GET().build();
            HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), CALL_TIMEOUT);
            failOnErrorStatus(request, response.statusCode(), response.body());
            JsonNode page;
            try {
                page = json.readTree(response.body());
            } catch (JacksonException e) {
                page = null;
            }
            if (page == null || !page.isArray()) {
                Problem unreadable = new Problem("about:blank", "Unreadable reply", response.statusCode(),
                        "the server's reply is not the list this client expects; is " + displayUrl
                                + " an Escadrille server of the same version?", List.of());
                throw new ProblemException(unreadable, describe(request));
            }
            for (JsonNode item : page) {
                if (all.size() < atMost) {
                    all.add(item);
                }
            }
            next = response.headers().allValues("Link").stream()
                    .map(link -> Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?").matcher(link))
                    .filter(Matcher::find)
                    .map(m -> request.uri().resolve(m.group(1)))
                    .findFirst().orElse(null);
        }
        return new Reply<>(json.treeToValue(all, listOf(element)), all);
    }

    private <T> Reply<T> call(HttpRequest.Builder builder, JavaType type) {
        return call(builder, type, CALL_TIMEOUT);
    }

    private <T> Reply<T> call(HttpRequest.Builder builder, JavaType type, Duration timeout) {
        if (timeout != null) {
            builder.timeout(timeout);
        }
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), timeout);
        failOnErrorStatus(request, response.statusCode(), response.body());
        try {
            JsonNode node = json.readTree(response.body());
            return new Reply<>(json.treeToValue(node, type), node);
        } catch (JacksonException e) {
            Problem unreadable = new Problem("about:blank", "Unreadable reply", response.statusCode(),
                    "the server's reply is not the JSON this client expects (" + e.getOriginalMessage()
                            + "); is " + displayUrl + " an Escadrille server of the same version?", List.of());
            throw new ProblemException(unreadable, describe(request));
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            Duration timeout) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw UnreachableException.refused(displayUrl, e);
        } catch (HttpTimeoutException e) {
            throw UnreachableException.timedOut(displayUrl, timeout == null ? CALL_TIMEOUT : timeout, e);
        } catch (IOException e) {
            throw UnreachableException.broken(displayUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UnreachableException.interrupted(displayUrl);
        }
    }

    private void failOnErrorStatus(HttpRequest request, int status, byte[] body) {
        if (status < 400) {
            return;
        }
        throw new ProblemException(problemOf(request, status, body), describe(request));
    }

    private Problem problemOf(HttpRequest request, int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                Problem parsed = json.readValue(body, Problem.class);
                return new Problem(parsed.type(), parsed.title(), parsed.status() == 0 ? status : parsed.status(),
                        parsed.detail(), parsed.errors());
            } catch (JacksonException e) {
                // Not a problem document after all: fall through to the generic description.
            }
        }
        return new Problem("about:blank", null, status,
                "the server answered HTTP " + status + " to " + describe(request), List.of());
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri();
    }

    private JavaType type(Class<?> type) {
        return json.getTypeFactory().constructType(type);
    }

    private JavaType listOf(Class<?> element) {
        return json.getTypeFactory().constructCollectionType(List.class, element);
    }
}
