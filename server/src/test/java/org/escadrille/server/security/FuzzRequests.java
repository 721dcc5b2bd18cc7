package org.escadrille.server.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.server.security.Callers.Kind;
import org.escadrille.server.security.Callers.Request;
import org.escadrille.server.security.ServerFuzzTest.Fuzzed;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fuzzer's requests, one category at a time: any route with hostile parts; descriptors; invocations
 * (API and portal forms); uploads; pilot messages; sign-ins and new accounts. Valid documents are the
 * starting point of most mutations, so that the requests get past the first check and reach deeper code.
 */
final class FuzzRequests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final List<String> PARAMETERS = List.of("dir", "path", "version", "from", "task", "stream", "offset",
            "name", "label", "username", "password", "role", "error", "_csrf", "in.input", "in.events", "lines.events");
    private static final List<String> HEADERS = List.of("Accept", "Accept-Language", "Accept-Encoding", "Range", "Cookie",
            "If-Modified-Since", "If-None-Match", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Origin",
            "Referer", "HX-Request", "HX-Target", "X-Requested-With", "apikey", "Authorization", "X-CSRF-TOKEN", "User-Agent");
    private static final Map<String, String> VALID_BODIES = Map.of(
            "POST /api/v1/executions", "{\"app\": \"matrix-count\", \"name\": \"n\", \"inputs\": {\"input\": \"matrix/data.txt\"}}",
            "POST /api/v1/apps", OwnedObjects.DESCRIPTOR.formatted("fuzz-app"),
            "POST /api/pilot/v1/register", OwnedObjects.REGISTRATION,
            "POST /api/pilot/v1/lease", "{\"freeSlots\": 1, \"freeMemoryMb\": 1024, \"waitMs\": 0, \"cachedInputs\": [], \"prefetch\": 0}",
            "POST /api/pilot/v1/heartbeat", "{\"attempts\": [{\"attemptId\": \"a\", \"phase\": \"RUNNING\", \"events\": 5, "
                    + "\"startedAtMs\": 1, \"checkpoint\": 0}], \"freeSlots\": 1}",
            "POST /api/pilot/v1/completions", "{\"completions\": [{\"attemptId\": \"a\", \"completion\": " + completion() + "}]}",
            "POST /api/pilot/v1/attempts/{attemptId}/complete", completion());
    private static final List<String> CATEGORIES = List.of("route", "route", "route", "descriptor", "invocation", "invocation",
            "form-launch", "upload", "pilot", "pilot", "account");

    /** The prefix of applications published with one hostile output path-template, which invocations then launch. */
    static final String HOSTILE_TEMPLATE_APP = "fuzz-template-";
    private final FuzzInputs in;
    private final List<String> routes;
    private final OwnedObjects owned;
    private OwnedObjects.Attempt attempt;
    /** Whether the pilot holding {@link #attempt} said goodbye (its token is void now). */
    private boolean retired;

    FuzzRequests(FuzzInputs in, Set<String> routes, OwnedObjects owned) {
        this.in = in;
        this.routes = List.copyOf(routes);
        this.owned = owned;
        this.attempt = owned.freshAttempt();
    }

    private static String completion() {
        return "{\"outcome\": \"SUCCEEDED\", \"exitCode\": 0, \"message\": \"\", \"startedAtMs\": 1, \"endedAtMs\": 2, "
                + "\"events\": 0, \"usage\": {\"cpuSeconds\": 0.1, \"wallSeconds\": 0.2, \"peakMemoryMb\": 10}}";
    }

    Fuzzed next() {
        if (retired) {
            attempt = owned.freshAttempt();
            retired = false;
        }
        String category = in.pick(CATEGORIES);
        return switch (category) {
            case "route" -> route();
            case "descriptor" -> new Fuzzed(category, in.pick(List.of(Role.DEVELOPER, Role.ADMIN)), null,
                    Request.of("POST", "/api/v1/apps").as(Kind.SCRIPT).with("application/json", descriptor()));
            case "invocation" -> new Fuzzed(category, Role.OWNER, null, Request.of("POST", "/api/v1/executions").as(Kind.SCRIPT)
                    .with("application/json", in.jsonBytes(in.mutate(launch()))));
            case "form-launch" -> formLaunch();
            case "upload" -> upload();
            case "pilot" -> pilot();
            default -> account();
        };
    }

    private Fuzzed route() {
        String route = in.pick(routes);
        String method = route.substring(0, route.indexOf(' '));
        String pattern = route.substring(route.indexOf(' ') + 1);
        if (method.equals("*") || in.chance(0.1)) {
            method = in.pick(METHODS);
        }
        Role role = in.pick(List.of(Role.ANONYMOUS, Role.OWNER, Role.OWNER, Role.ADMIN, Role.ITS_PILOT));
        var request = Request.of(method, fill(method, pattern) + in.query(PARAMETERS))
                .as(in.pick(List.of(Kind.NAVIGATION, Kind.FRAGMENT, Kind.SCRIPT)));
        if (!method.equals("GET") && !method.equals("HEAD") && in.chance(0.8)) {
            String valid = VALID_BODIES.get(route);
            byte[] body = valid != null && in.chance(0.7) ? in.jsonBytes(in.mutate(JSON.readTree(valid))) : in.bytes();
            request = request.with(in.contentType(), body);
        }
        for (int i = in.random().nextInt(3); i > 0; i--) {
            request = request.header(in.pick(HEADERS), in.headerValue());
        }
        retired |= role.isPilot() && pattern.endsWith("/bye");
        return new Fuzzed("route", role, pilotToken(role), request);
    }

    /**
     * The pattern's variables: the owner's real objects now and then, hostile segments otherwise. The
     * owner's file only for reads: the objects the fixtures launch with must stay.
     */
    private String fill(String method, String pattern) {
        String path = pattern.replace("/**", "/" + in.segment());
        path = path.replace("{attemptId}", in.chance(0.5) ? attempt.id() : in.segment());
        path = path.replace("{id}", in.chance(0.4) ? owned.execution() : in.segment());
        path = path.replace("{name}", in.chance(0.4) ? in.pick(List.of("pi", OwnedObjects.APP)) : in.segment());
        path = path.replace("{*path}", method.equals("GET") && in.chance(0.3) ? OwnedObjects.FILE : in.segment() + (in.chance(0.5) ? "/" + in.segment() : ""));
        return path.replaceAll("\\{[^}]*}", in.segment());
    }

    private byte[] descriptor() {
        boolean hostileTemplate = in.chance(0.2);
        JsonNode valid = JSON.readTree(OwnedObjects.DESCRIPTOR.formatted(hostileTemplate
                ? HOSTILE_TEMPLATE_APP + in.random().nextInt(5) : "fuzz-app-" + in.random().nextInt(1_000_000)));
        if (hostileTemplate) {
            // a descriptor that is valid but for one hostile value the launch will meet
            ((ObjectNode) valid.path("output-files").get(0)).put("path-template", in.string());
            return JSON.writeValueAsBytes(valid);
        }
        return in.jsonBytes(in.mutate(valid));
    }

    private JsonNode launch() {
        if (in.chance(0.15)) {
            return JSON.readTree("{\"app\": \"" + HOSTILE_TEMPLATE_APP + in.random().nextInt(5)
                    + "\", \"inputs\": {\"input\": \"" + OwnedObjects.FILE + "\"}}");
        }
        return JSON.readTree(in.chance(0.5) ? VALID_BODIES.get("POST /api/v1/executions")
                : "{\"app\": \"pi\", \"name\": \"pi run\", \"inputs\": {\"events\": 1000, \"seed\": 7}, \"split\": \"static\", "
                + "\"tasks\": 2, \"iterate\": \"cross\", \"priority\": 1}");
    }

    private Fuzzed formLaunch() {
        String app = in.chance(0.7) ? in.pick(List.of("pi", OwnedObjects.APP)) : in.segment();
        var form = new StringBuilder();
        for (String field : List.of("name", "version", "iterate", "split", "tasks", "in.events", "in.seed", "in.input", "lines.events")) {
            if (in.chance(0.5)) {
                form.append(form.isEmpty() ? "" : "&").append(field).append('=')
                        .append(URLEncoder.encode(in.string(), StandardCharsets.UTF_8));
            }
        }
        String action = in.chance(0.5) ? "launch" : "preview";
        return new Fuzzed("form-launch", Role.OWNER, null, Request.of("POST", "/apps/" + app + "/" + action)
                .as(action.equals("preview") ? Kind.FRAGMENT : Kind.NAVIGATION).form(form.toString()));
    }

    private Fuzzed upload() {
        String path = switch (in.random().nextInt(4)) {
            case 0 -> OwnedObjects.FILE + "/" + in.segment();
            case 1 -> in.segment();
            case 2 -> in.segment() + "/" + in.segment() + "/" + in.segment();
            default -> "uploads/file-" + in.random().nextInt(1000) + ".bin";
        };
        Request request = switch (in.random().nextInt(3)) {
            case 0 -> Request.of("PUT", "/api/v1/files/" + path).as(Kind.SCRIPT);
            case 1 -> Request.of("PUT", "/files/upload/" + path).as(Kind.SCRIPT);
            default -> Request.of("POST", "/files/upload/" + path).as(Kind.SCRIPT);
        };
        String type = in.chance(0.3) ? "multipart/form-data; boundary=fuzz" : in.contentType();
        byte[] body = type.startsWith("multipart") ? multipart() : in.bytes();
        return new Fuzzed("upload", Role.OWNER, null, request.with(type, body));
    }

    private byte[] multipart() {
        String part = "--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + in.headerValue()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + in.string() + "\r\n--fuzz--\r\n";
        return (in.chance(0.2) ? part.substring(0, part.length() / 2) : part).getBytes(StandardCharsets.UTF_8);
    }

    private Fuzzed pilot() {
        List<String> pilotRoutes = routes.stream().filter(r -> r.contains("/api/pilot/")).toList();
        String route = in.pick(pilotRoutes);
        String method = route.substring(0, route.indexOf(' '));
        String pattern = route.substring(route.indexOf(' ') + 1);
        retired = pattern.endsWith("/bye");
        String path = fill(method, pattern) + (in.chance(0.7)
                ? in.pick(List.of("?path=" + in.segment(), "?stream=" + in.segment() + "&offset=" + in.segment(),
                "?offset=" + in.pick(List.of("0", "-1", "9223372036854775807", "x")), "?path=out/" + in.segment()))
                : in.query(PARAMETERS));
        String valid = VALID_BODIES.get(route);
        byte[] body = valid != null ? in.jsonBytes(in.mutate(JSON.readTree(valid))) : in.bytes();
        var request = Request.of(method, path).as(Kind.SCRIPT);
        if (!method.equals("GET")) {
            request = request.with(valid != null ? "application/json" : "application/octet-stream", body);
        }
        return new Fuzzed("pilot", Role.ITS_PILOT, attempt.holder().token(), request);
    }

    private Fuzzed account() {
        String username = URLEncoder.encode(in.string(), StandardCharsets.UTF_8);
        String password = URLEncoder.encode(in.string(), StandardCharsets.UTF_8);
        return switch (in.random().nextInt(3)) {
            case 0 -> new Fuzzed("sign-in", Role.ANONYMOUS, null, Request.of("POST", "/login")
                    .form("username=" + username + "&password=" + password));
            case 1 -> new Fuzzed("new-user", Role.ADMIN, null, Request.of("POST", "/admin/users")
                    .form("username=" + username + "&password=" + password + "&role=" + URLEncoder.encode(
                            in.pick(List.of("USER", "DEVELOPER", "ADMIN", in.string())), StandardCharsets.UTF_8)));
            default -> new Fuzzed("new-key", Role.OWNER, null, Request.of("POST", "/account/keys").form("label=" + username));
        };
    }

    /** The token a pilot role sends: the one holding the fuzzer's attempt. */
    String pilotToken(Role role) {
        return role.isPilot() ? attempt.holder().token() : null;
    }
}
