package org.escadrille.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.group.GroupRole;
import org.escadrille.server.group.Groups;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.scheduling.PilotRegistry;
import org.escadrille.server.site.SiteChange;
import org.escadrille.server.site.SiteService;
import org.escadrille.server.security.Callers.Kind;
import org.escadrille.server.security.Callers.Request;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real objects of "the owner" for the paths of the matrix and the fuzzer: an application with a file
 * input (published by the developer), a file, executions of that application, API keys, and attempts
 * leased to a pilot. Changes (kill, delete, revoke, bye) get fresh objects so that the order of
 * the calls does not matter.
 */
final class OwnedObjects {
    static final String APP = "matrix-count";
    static final String FILE = "matrix/data.txt";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String DESCRIPTOR = """
            {"name": "%s", "tool-version": "1.0", "schema-version": "0.5",
             "description": "Counts the bytes of a file.",
             "command-line": "wc -c < [INPUT] > count.txt",
             "inputs": [{"id": "input", "name": "Input file", "type": "File", "value-key": "[INPUT]"}],
             "output-files": [{"id": "count", "name": "Byte count", "path-template": "count.txt"}]}""";
    static final String REGISTRATION = """
            {"host": "matrix", "slots": 1, "memoryMb": 1024, "tags": [], "pilotVersion": "test", "javaVersion": "21"}""";

    /** A pilot: its id and bearer token. */
    record Pilot(String id, String token) {
    }

    /** An attempt of one of the owner's tasks, leased to {@code holder}. */
    record Attempt(String id, Pilot holder) {
    }

    private final TestServer server;
    private final Callers callers;
    private final AtomicInteger counter = new AtomicInteger();
    private final String execution;
    private String site;
    private String linkToken;

    OwnedObjects(TestServer server, Callers callers) {
        this.server = server;
        this.callers = callers;
        var published = callers.send(Role.DEVELOPER, null, Request.of("POST", "/api/v1/apps")
                .json(DESCRIPTOR.formatted(APP)).as(Kind.SCRIPT));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        upload(FILE);
        this.execution = freshExecution();
        makeGroups();
    }

    /** The groups of the matrix: the owner's ("matrix-team", with "member" and "group-admin") and another. */
    static final String GROUP = "matrix-team";
    static final String OTHER_GROUP = "matrix-other";

    private void makeGroups() {
        var groups = server.bean(Groups.class);
        var admin = callers.person(Role.ADMIN).account();
        groups.create(admin, GROUP, "The owner's group", "test");
        groups.putMember(admin, GROUP, callers.person(Role.OWNER).account().username(), GroupRole.MEMBER, "test");
        groups.putMember(admin, GROUP, callers.person(Role.MEMBER).account().username(), GroupRole.MEMBER, "test");
        groups.putMember(admin, GROUP, callers.person(Role.GROUP_ADMIN).account().username(), GroupRole.ADMIN, "test");
        groups.create(admin, OTHER_GROUP, "Another group", "test");
        groups.putMember(admin, OTHER_GROUP, callers.person(Role.OUTSIDER).account().username(), GroupRole.MEMBER, "test");
    }

    /** A new group with nobody in it: its name. */
    String freshGroup() {
        String name = "matrix-group-" + counter.incrementAndGet();
        server.bean(Groups.class).create(callers.person(Role.ADMIN).account(), name, "", "test");
        return name;
    }

    /** A new user made a member of the owner's group: their name. */
    String freshMember() {
        String name = freshUser();
        server.bean(Groups.class).putMember(callers.person(Role.ADMIN).account(), GROUP, name, GroupRole.MEMBER, "test");
        return name;
    }

    /** The token of a link to one of the owner's executions. */
    String linkToken() {
        if (linkToken == null) {
            linkToken = shareByLink(execution);
        }
        return linkToken;
    }

    /** Shares one of the owner's executions by a link: the link's token. */
    String shareByLink(String executionId) {
        var shared = callers.send(Role.OWNER, null, Request.of("POST", "/api/v1/executions/" + executionId + "/shares")
                .json("{\"link\": true}").as(Kind.SCRIPT));
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(201);
        return json(shared).path("token").asString();
    }

    /** An execution of the owner that nobody changes. */
    String execution() {
        return execution;
    }

    /** A new application, published by the developer (version 1.0): its name. */
    String freshApp() {
        String name = "matrix-fresh-" + counter.incrementAndGet();
        var published = callers.send(Role.DEVELOPER, null, Request.of("POST", "/api/v1/apps")
                .json(DESCRIPTOR.formatted(name)).as(Kind.SCRIPT));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        return name;
    }

    String freshExecution() {
        var launched = callers.send(Role.OWNER, null, Request.of("POST", "/api/v1/executions").as(Kind.SCRIPT)
                .json("{\"app\": \"" + APP + "\", \"inputs\": {\"input\": \"" + FILE + "\"}}"));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(201);
        return json(launched).path("id").asString();
    }

    /** A new file of the owner's; its path relative to their space. */
    String freshFile() {
        String path = "matrix/fresh-" + counter.incrementAndGet() + ".txt";
        upload(path);
        return path;
    }

    /** The owner's username. */
    String ownerName() {
        return callers.person(Role.OWNER).account().username();
    }

    /** A new API key of the owner's: its id. */
    String freshKeyId() {
        var accounts = server.bean(AccountService.class);
        var owner = callers.person(Role.OWNER).account();
        String label = "fresh-" + counter.incrementAndGet();
        accounts.newApiKey(owner, label);
        return accounts.apiKeys(owner).stream().filter(key -> key.label().equals(label)).findFirst().orElseThrow().id();
    }

    /** A new pilot, registered: its id and the session token its registration answered. */
    Pilot freshPilot() {
        var unregistered = unregisteredPilot();
        var registered = callers.send(Role.ITS_PILOT, unregistered.token(), Request.of("POST", "/api/pilot/v1/register")
                .json(REGISTRATION).as(Kind.SCRIPT));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        var session = Pattern.compile("\"sessionToken\"\\s*:\\s*\"([^\"]+)\"").matcher(registered.body());
        assertThat(session.find()).as("a session token in %s", registered.body()).isTrue();
        return new Pilot(unregistered.id(), session.group(1));
    }

    /** A new pilot as the factory starts it: its id and its registration token, not yet spent. */
    Pilot unregisteredPilot() {
        var credentials = server.bean(PilotRegistry.class).mint("manual");
        return new Pilot(credentials.pilotId(), credentials.token());
    }

    /** A new execution of the owner's, and its task leased to a new pilot. */
    Attempt freshAttempt() {
        String target = freshExecution();
        Pilot holder = freshPilot();
        String attempt = await().atMost(Duration.ofSeconds(20)).until(() -> {
            var grant = callers.send(Role.ITS_PILOT, holder.token(), Request.of("POST", "/api/pilot/v1/lease").as(Kind.SCRIPT)
                    .json("{\"freeSlots\": 50, \"freeMemoryMb\": 100000, \"waitMs\": 0}"));
            assertThat(grant.statusCode()).as(grant.body()).isEqualTo(200);
            for (JsonNode task : json(grant).path("tasks")) {
                if (task.path("executionId").asString().equals(target)) {
                    return task.path("attemptId").asString();
                }
            }
            return null;
        }, id -> id != null);
        return new Attempt(attempt, holder);
    }

    private void upload(String path) {
        var stored = callers.send(Role.OWNER, null, Request.of("PUT", "/api/v1/files/" + path).as(Kind.SCRIPT)
                .with("application/octet-stream", ("bytes of " + path).getBytes(StandardCharsets.UTF_8)));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    }

    /** The site that GETs read (made on first use). */
    String site() {
        if (site == null) {
            site = freshSite();
        }
        return site;
    }

    /** A new manual site, for a change to spend. */
    String freshSite() {
        String name = "matrix-site-" + counter.incrementAndGet();
        server.bean(SiteService.class).create(new SiteChange(name, "manual", null, null, null, null, null, null, null, null),
                "admin", "127.0.0.1");
        return name;
    }

    /** A new user, for an admin's change to spend (the callers themselves are never disabled). */
    String freshUser() {
        String name = "matrix-user-" + counter.incrementAndGet();
        server.bean(AccountService.class).createUser(name, "password-of-" + name, Account.Role.USER);
        return name;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
