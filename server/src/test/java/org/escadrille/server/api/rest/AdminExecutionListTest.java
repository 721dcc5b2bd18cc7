package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An admin lists and searches any user's executions ({@code owner=<name>}, {@code owner=*} for everyone's)
 * and reads any of them, its tasks and logs, but acts on none but by deleting; anyone else naming an owner
 * is refused, and another user's execution stays not found. No pilots: executions stay queued.
 */
@Tag("e2e")
class AdminExecutionListTest {
    private static TestServer server;
    private static ApiClient admin;
    private static ApiClient alice;
    private static String alicesSweep;
    private static String bobsSweep;
    private static String bobsCalibration;

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        admin = server.admin();
        alice = server.newUser("alice");
        var bob = server.newUser("bob");
        alicesSweep = alice.launch(Map.of("app", "pi", "name", "pi sweep of alice", "inputs", Map.of("events", 1000)));
        bobsSweep = bob.launch(Map.of("app", "pi", "name", "pi sweep of bob", "inputs", Map.of("events", 1000)));
        bobsCalibration = bob.launch(Map.of("app", "pi", "name", "calibration", "inputs", Map.of("events", 1000)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> ids(ApiClient client, String query) {
        var response = client.get("/api/v1/executions?" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        var ids = new ArrayList<String>();
        response.json().forEach(execution -> ids.add(execution.path("id").asString()));
        return ids;
    }

    @Test
    void anAdminSearchesEveryUsersExecutionsWithTheSameFilters() {
        assertThat(ids(admin, "owner=*")).containsExactlyInAnyOrder(alicesSweep, bobsSweep, bobsCalibration);
        assertThat(ids(admin, "owner=*&name=sweep")).containsExactlyInAnyOrder(alicesSweep, bobsSweep);
        assertThat(ids(admin, "owner=%2A&name=sweep&status=active&app=pi")).containsExactlyInAnyOrder(alicesSweep, bobsSweep);

        var page = admin.get("/api/v1/executions?owner=*&name=sweep&limit=1");
        assertThat(page.headers().firstValue("X-Total-Count")).hasValue("2");
        assertThat(page.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link).contains("owner="));
    }

    @Test
    void anAdminListsOneUsersExecutionsEachNamingItsOwner() {
        var bobs = admin.get("/api/v1/executions?owner=bob");

        assertThat(bobs.json().size()).isEqualTo(2);
        bobs.json().forEach(execution -> assertThat(execution.path("owner").asString()).isEqualTo("bob"));
        assertThat(ids(admin, "owner=bob&name=calib")).containsExactly(bobsCalibration);
        assertThat(ids(admin, "owner=nobody-here")).isEmpty();
        assertThat(ids(admin, "")).isEmpty();
    }

    @Test
    void someoneWhoIsNotAnAdminNamingAnOwnerIsForbiddenWithAReason() {
        for (String owner : List.of("bob", "*", "alice")) {
            var response = alice.get("/api/v1/executions?owner=" + owner);

            assertThat(response.status()).isEqualTo(403);
            assertThat(response.json().path("detail").asString()).contains("only admins may list other users' executions");
        }
        assertThat(ids(alice, "")).containsExactly(alicesSweep);
    }

    @Test
    void anAdminReadsAnotherUsersExecutionItsTasksAndLogsButCannotActOnIt() {
        var shown = admin.get("/api/v1/executions/" + bobsSweep);
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        assertThat(shown.json().path("owner").asString()).isEqualTo("bob");
        assertThat(admin.get("/api/v1/executions/" + bobsSweep + "/tasks").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/executions/" + bobsSweep + "/logs").status()).isEqualTo(200);

        assertThat(admin.post("/api/v1/executions/" + bobsSweep + "/kill", "").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/executions/" + bobsSweep + "/rerun", "").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/executions/" + bobsSweep).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/executions/" + bobsSweep + "/tasks").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/executions/" + bobsSweep).json().path("status").asString()).isNotEqualTo("Killed");
    }
}
