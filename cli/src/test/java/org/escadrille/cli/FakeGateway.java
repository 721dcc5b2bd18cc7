package org.escadrille.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake gateway at the HTTP boundary, on 127.0.0.1 with the JDK's HttpServer, coded against
 * {@code docs/native-api.md}: unit tests of the commands run in milliseconds, and
 * {@code EmbeddedEndToEndTest} checks them against the real server. Routes answer canned replies and
 * every request is recorded. Registered as an extension ({@code @RegisterExtension}), it stops after
 * each test.
 */
final class FakeGateway implements AutoCloseable, AfterEachCallback {
    private final HttpServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    record Recorded(String method, String path, String query, String apiKey, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    private record Route(String method, String path, Function<Recorded, Response> responder) {
        boolean matches(Recorded request) {
            return method.equals(request.method()) && (path.endsWith("*")
                    ? request.path().startsWith(path.substring(0, path.length() - 1))
                    : path.equals(request.path()));
        }
    }

    FakeGateway() {
        this(false);
    }

    /** {@code concurrent}: one thread per exchange, so that requests sent at once are answered at once. */
    FakeGateway(boolean concurrent) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        if (concurrent) {
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        }
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code method path} (a trailing {@code *} matches a prefix); the first route added wins. */
    FakeGateway on(String method, String path, Function<Recorded, Response> responder) {
        routes.add(new Route(method, path, responder));
        return this;
    }

    FakeGateway on(String method, String path, Response response) {
        return on(method, path, request -> response);
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    List<Recorded> requests(String method, String pathPrefix) {
        return requests.stream()
                .filter(request -> request.method().equals(method) && request.path().startsWith(pathPrefix))
                .toList();
    }

    static Response json(int status, String json) {
        return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Response problem(int status, String json) {
        return new Response(status, "application/problem+json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Response bytes(byte[] body) {
        return new Response(200, "application/octet-stream", body, Map.of());
    }

    static Response text(String body, Map<String, String> headers) {
        return new Response(200, "text/plain", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        Recorded request = new Recorded(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                exchange.getRequestHeaders().getFirst("apikey"), body);
        requests.add(request);
        Response response = new ArrayList<>(routes).stream()
                .filter(route -> route.matches(request))
                .findFirst()
                .map(route -> route.responder().apply(request))
                .orElse(problem(404, """
                        {"title": "Not Found", "status": 404, "detail": "no fake route for %s %s"}"""
                        .formatted(request.method(), request.path())));
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
