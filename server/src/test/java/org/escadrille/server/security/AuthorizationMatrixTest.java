package org.escadrille.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.escadrille.server.security.Callers.Kind;
import org.escadrille.server.security.Callers.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who may call which route: every route of the application's own route table (portal, native API, pilot
 * protocol, Actuator, errors) × every kind of caller → the status they get, with the path's variables
 * filled by real objects of "the owner". A route without a row fails the test, as does a row without a
 * route; the failure prints the rows as observed, ready to review and paste.
 *
 * <p>Cells: a status, or {@code login} for the portal's redirect to its sign-in page. A request "as"
 * a person uses what their own client would send: the API key on {@code /api/**}, the signed-in session
 * (with its CSRF token for changes) on the portal; a pilot always sends its bearer token.
 */
@Tag("e2e")
class AuthorizationMatrixTest {
    /**
     * Today's answers, one row per route. {@code #!} marks a row whose answer is a finding of the security
     * review, kept here as it is today so that its fix shows up as a change of this table.
     */
    static final String MATRIX = """
            # method path                                                 anonymous other owner developer admin pilot its-pilot  member group-admin outsider
            POST   /api/pilot/v1/register                                 401  401  401  401  401  200  200  401  401  401
            POST   /api/pilot/v1/lease                                    401  401  401  401  401  200  200  401  401  401
            POST   /api/pilot/v1/heartbeat                                401  401  401  401  401  200  200  401  401  401
            POST   /api/pilot/v1/bye                                      401  401  401  401  401  204  204  401  401  401
            POST   /api/pilot/v1/completions                              401  401  401  401  401  200  200  401  401  401
            GET    /api/pilot/v1/attempts/{attemptId}/inputs/{index}      401  401  401  401  401  404  200  401  401  401
            PUT    /api/pilot/v1/attempts/{attemptId}/outputs             401  401  401  401  401  404  200  401  401  401
            POST   /api/pilot/v1/attempts/{attemptId}/outputs/direct      401  401  401  401  401  404  200  401  401  401  # local storage: a URL-less answer
            PUT    /api/pilot/v1/attempts/{attemptId}/checkpoints/{events} 401  401  401  401  401  404  400  401  401  401  # its task declares no checkpoint-dir
            POST   /api/pilot/v1/attempts/{attemptId}/checkpoints/{events}/direct 401  401  401  401  401  404  400  401  401  401  # its task declares no checkpoint-dir
            POST   /api/pilot/v1/attempts/{attemptId}/log                 401  401  401  401  401  404  204  401  401  401
            POST   /api/pilot/v1/attempts/{attemptId}/complete            401  401  401  401  401  404  200  401  401  401

            GET    /api/v1/health                                         200  200  200  200  200  200  200  200  200  200
            GET    /api/v1/me                                             401  200  200  200  200  401  401  200  200  200
            GET    /api/v1/apps                                           401  200  200  200  200  401  401  200  200  200
            GET    /api/v1/apps/{name}                                    401  200  200  200  200  401  401  200  200  200
            POST   /api/v1/apps                                           401  403  403  201  201  401  401  403  403  403
            DELETE /api/v1/apps/{name}/{version}                          401  403  403  200  200  401  401  403  403  403  # the developer published it; admins may too
            POST   /api/v1/executions                                     401  201  201  201  201  401  401  201  201  201
            GET    /api/v1/executions                                     401  200  200  200  200  401  401  200  200  200
            GET    /api/v1/executions/{id}                                401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /api/v1/executions/{id}/tasks                          401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /api/v1/executions/{id}/logs                           401  404  200  404  200  401  401  404  200  404  # admins may read it
            POST   /api/v1/executions/{id}/kill                           401  404  200  404  404  401  401  404  404  404
            POST   /api/v1/executions/{id}/rerun                          401  404  201  404  404  401  401  404  404  404
            POST   /api/v1/executions/{id}/stop                           401  404  409  404  404  401  401  404  404  404  # not a Monte-Carlo run
            DELETE /api/v1/executions/{id}                                401  404  204  404  204  401  401  404  404  404  # admins may delete
            GET    /api/v1/files                                          401  200  200  200  200  401  401  200  200  200
            PUT    /api/v1/files/{*path}                                  401  201  201  201  201  401  401  201  201  201
            GET    /api/v1/files/{*path}                                  401  404  200  404  404  401  401  404  404  404
            DELETE /api/v1/files/{*path}                                  401  404  204  404  404  401  401  404  404  404
            GET    /api/v1/account/keys                                   401  200  200  200  200  401  401  200  200  200
            POST   /api/v1/account/keys                                   401  201  201  201  201  401  401  201  201  201
            GET    /api/v1/account/keys/{id}                              401  404  200  404  404  401  401  404  404  404
            DELETE /api/v1/account/keys/{id}                              401  404  200  404  404  401  401  404  404  404
            POST   /api/v1/account/password                               401  400  400  400  400  401  401  400  400  400  # a wrong current password
            GET    /api/v1/audit                                          401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/users                                          401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/users/{username}                               401  403  403  403  200  401  401  403  403  403
            PATCH  /api/v1/users/{username}                               401  403  403  403  200  401  401  403  403  403
            POST   /api/v1/users/{username}/password                      401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/users/{username}/storage-quota                 401  403  403  403  200  401  401  403  403  403
            PUT    /api/v1/users/{username}/storage-quota                 401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/sites                                          401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/site-kinds                                     401  403  403  403  200  401  401  403  403  403
            POST   /api/v1/sites                                          401  403  403  403  201  401  401  403  403  403
            GET    /api/v1/sites/{name}                                   401  403  403  403  200  401  401  403  403  403
            PATCH  /api/v1/sites/{name}                                   401  403  403  403  200  401  401  403  403  403
            DELETE /api/v1/sites/{name}                                   401  403  403  403  204  401  401  403  403  403
            POST   /api/v1/sites/{name}/token                             401  403  403  403  200  401  401  403  403  403
            DELETE /api/v1/sites/{name}/token                             401  403  403  403  204  401  401  403  403  403
            GET    /api/v1/groups                                         401  200  200  200  200  401  401  200  200  200
            POST   /api/v1/groups                                         401  403  403  403  201  401  401  403  403  403
            GET    /api/v1/groups/{name}                                  401  404  200  404  200  401  401  200  200  404
            DELETE /api/v1/groups/{name}                                  401  404  404  404  204  401  401  404  404  404  # a new group, nobody of the matrix in it: admins only
            POST   /api/v1/groups/{name}/members                          401  404  403  404  200  401  401  403  200  404  # its group administrators and admins; a plain member 403, outsiders 404
            PUT    /api/v1/groups/{name}/members/{username}               401  404  403  404  200  401  401  403  200  404
            DELETE /api/v1/groups/{name}/members/{username}               401  404  403  404  204  401  401  403  204  404
            GET    /api/v1/apps/{name}/{version}/groups                   401  403  403  403  200  401  401  403  403  403
            PUT    /api/v1/apps/{name}/{version}/groups                   401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/executions/{id}/shares                         401  404  200  404  404  401  401  404  404  404
            POST   /api/v1/executions/{id}/shares                         401  404  201  404  404  401  401  404  404  404
            DELETE /api/v1/executions/{id}/shares                         401  404  204  404  404  401  401  404  404  404
            GET    /api/v1/shared/{token}                                 200  200  200  200  200  200  200  200  200  200  # a link: whoever holds it, signed in or not
            GET    /api/v1/shared/{token}/outputs/{*path}                 404  404  404  404  404  404  404  404  404  404  # the owner's file is no output of the linked execution
            GET    /api/v1/executions/{id}/crate                          401  404  409  404  409  401  401  404  409  404  # not ended yet; admins may read it
            GET    /api/v1/executions/{id}/report                         401  404  200  404  200  401  401  404  200  404  # a snapshot while it runs; admins may read it
            POST   /api/v1/executions/replay                              401  400  400  400  400  401  401  400  400  400  # an empty body is no RO-Crate
            GET    /api/v1/me/limits                                      401  200  200  200  200  401  401  200  200  200
            GET    /api/v1/limits                                         401  403  403  403  200  401  401  403  403  403
            PUT    /api/v1/users/{username}/limits                        401  403  403  403  200  401  401  403  403  403
            PUT    /api/v1/groups/{name}/limits                           401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/usage                                          401  403  403  403  200  401  401  403  403  403
            POST   /api/v1/storage/orphan-sweeps                          401  403  403  403  200  401  401  403  403  403
            GET    /api/v1/storage/orphan-sweeps/last                     401  403  403  403  200  401  401  403  403  403  # the row above ran one
            POST   /api/pilot/v1/attempts/{attemptId}/outputs/multipart   401  401  401  401  401  404  200  401  401  401  # local storage: a plan without an upload
            POST   /api/pilot/v1/attempts/{attemptId}/outputs/multipart/part 401  401  401  401  401  404  409  401  401  401  # local storage: no parts to sign
            POST   /api/pilot/v1/attempts/{attemptId}/outputs/multipart/complete 401  401  401  401  401  404  409  401  401  401  # local storage: no parts to sign
            GET    /api/v1/downloads/{*path}                              401  404  200  404  404  401  401  404  404  404  # local storage: no URL, the size and SHA-256
            POST   /api/v1/uploads                                        401  200  200  200  200  401  401  200  200  200  # local storage: {"direct": false}
            POST   /api/v1/uploads/{id}/parts/{number}                    401  404  404  404  404  401  401  404  404  404  # no upload of that id
            POST   /api/v1/uploads/{id}/complete                          401  404  404  404  404  401  401  404  404  404  # no upload of that id
            DELETE /api/v1/uploads/{id}                                   401  404  404  404  404  401  401  404  404  404  # no upload of that id
            GET    /pilot.jar                                             200  200  200  200  200  200  200  200  200  200  # the open-source pilot

            GET    /rest/platform                                         200  200  200  200  200  200  200  200  200  200
            POST   /rest/authenticate                                     200  200  200  200  200  200  200  200  200  200  # the owner's name and password
            GET    /rest/executions                                       401  200  200  200  200  401  401  200  200  200
            POST   /rest/executions                                       401  200  200  200  200  401  401  200  200  200
            GET    /rest/executions/count                                 401  200  200  200  200  401  401  200  200  200
            GET    /rest/executions/{executionIdentifier}                 401  404  200  404  404  401  401  404  404  404
            PUT    /rest/executions/{executionIdentifier}                 401  404  204  404  404  401  401  404  404  404
            DELETE /rest/executions/{executionIdentifier}                 401  404  204  404  204  401  401  404  404  404  # admins may delete
            GET    /rest/executions/{executionIdentifier}/results         401  404  200  404  404  401  401  404  404  404
            GET    /rest/executions/{executionIdentifier}/stdout          401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /rest/executions/{executionIdentifier}/stderr          401  404  200  404  200  401  401  404  200  404  # admins may read it
            PUT    /rest/executions/{executionIdentifier}/play            401  404  204  404  404  401  401  404  404  404
            PUT    /rest/executions/{executionIdentifier}/kill            401  404  204  404  404  401  401  404  404  404
            GET    /rest/executions/{executionIdentifier}/jobs            401  404  200  404  200  401  401  404  200  404  # VIP's extensions
            GET    /rest/executions/{executionIdentifier}/jobs/{job}/stdout 401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /rest/executions/{executionIdentifier}/jobs/{job}/stderr 401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /rest/executions/{executionIdentifier}/archive         401  404  200  404  404  401  401  404  404  404
            GET    /rest/pipelines                                        401  200  200  200  200  401  401  200  200  200
            GET    /rest/pipelines/{*pipelineIdentifier}                  401  200  200  200  200  401  401  200  200  200
            GET    /rest/pipelines/{pipelineIdentifier}/boutiquesdescriptor 401  200  200  200  200  401  401  200  200  200
            GET    /rest/openapi.json                                     200  200  200  200  200  200  200  200  200  200
            GET    /api/v1/openapi.json                                   200  200  200  200  200  200  200  200  200  200
            GET    /rest/path/{*completePath}                             401  404  200  404  404  401  401  404  404  404
            PUT    /rest/path/{*completePath}                             401  201  201  201  201  401  401  201  201  201
            DELETE /rest/path/{*completePath}                             401  404  204  404  404  401  401  404  404  404

            GET    /login                                                 200  302  302  302  302  200  200  302  302  302
            GET    /                                                      login 200  200  200  200  login login 200  200  200
            GET    /account                                               login 200  200  200  200  login login 200  200  200
            POST   /account/keys                                          login 302  302  302  302  login login 302  302  302
            POST   /account/keys/{id}/revoke                              login 404  302  404  404  login login 404  404  404
            POST   /account/password                                      login 400  400  400  400  login login 400  400  400  # a wrong current password: the page again
            POST   /account/notifications                                 login 302  302  302  302  login login 302  302  302
            GET    /apps                                                  login 200  200  200  200  login login 200  200  200
            GET    /apps/{name}                                           login 200  200  200  200  login login 200  200  200
            POST   /apps/{name}/launch                                    login 400  302  400  400  login login 400  400  400  # their space has no such file
            POST   /apps/{name}/preview                                   401  200  200  200  200  401  401  200  200  200
            GET    /executions                                            login 200  200  200  200  login login 200  200  200
            GET    /publish                                               login 403  403  200  200  login login 403  403  403
            POST   /publish                                               login 403  403  302  302  login login 403  403  403
            POST   /publish/delete                                        login 403  403  302  302  login login 403  403  403  # the developer published it; admins may too
            POST   /publish/relist                                        login 403  403  302  302  login login 403  403  403
            GET    /executions/{id}                                       login 404  200  404  200  login login 404  200  404  # admins may read it
            GET    /executions/{id}/live                                  401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /executions/{id}/logs                                  401  404  200  404  200  401  401  404  200  404  # admins may read it
            GET    /executions/{id}/log                                   401  404  200  404  200  401  401  404  200  404  # admins may read it
            POST   /executions/{id}/kill                                  login 404  302  404  404  login login 404  404  404
            POST   /executions/{id}/rerun                                 login 404  302  404  404  login login 404  404  404
            POST   /executions/{id}/rerun-failed                          login 404  302  404  404  login login 404  404  404
            POST   /executions/{id}/stop                                  login 404  409  404  404  login login 404  404  404  # not a Monte-Carlo run
            POST   /executions/{id}/delete                                login 404  302  404  302  login login 404  404  404  # admins may delete
            POST   /executions/{id}/shares                                login 404 302  404  404  login login 404  404  404
            POST   /executions/{id}/shares/revoke                         login 404 302  404  404  login login 404  404  404
            GET    /shared/{token}                                        200  200  200  200  200  200  200  200  200  200  # a link: whoever holds it
            GET    /files                                                 login 200  200  200  200  login login 200  200  200
            GET    /files/listing                                         401  200  200  200  200  401  401  200  200  200
            POST   /files/folders                                         login 302  302  302  302  login login 302  302  302
            POST   /files/delete                                          login 404  302  404  404  login login 404  404  404
            GET    /files/download/{*path}                                login 404  200  404  404  login login 404  404  404
            GET    /files/preview/{*path}                                 login 404  200  404  404  login login 404  404  404
            PUT    /files/upload/{*path}                                  401  201  201  201  201  401  401  201  201  201
            GET    /admin                                                 login 403  403  403  200  login login 403  403  403
            POST   /admin/users                                           login 403  403  403  302  login login 403  403  403
            POST   /admin/users/role                                      login 403  403  403  404  login login 403  403  403  # no such user
            POST   /admin/users/email                                     login 403  403  403  302  login login 403  403  403
            POST   /admin/users/enabled                                   login 403  403  403  302  login login 403  403  403
            POST   /admin/users/password                                  login 403  403  403  302  login login 403  403  403
            POST   /admin/sites/{name}/enabled                            login 403  403  403  302  login login 403  403  403
            GET    /admin/pilots/{pilotId}/log                            login 403  403  403  404  login login 403  403  403  # no log of an unknown pilot
            POST   /admin/pilots/{pilotId}/drain                          login 403  403  403  404  login login 403  403  403  # an unknown pilot
            POST   /admin/pilots/{pilotId}/stop                           login 403  403  403  404  login login 403  403  403  # an unknown pilot
            POST   /admin/groups                                          login 403 403  403  302  login login 403  403  403
            POST   /admin/groups/delete                                   login 403 403  403  302  login login 403  403  403
            POST   /admin/groups/members                                  login 403 403  403  302  login login 403  403  403
            POST   /admin/groups/members/remove                           login 403 403  403  302  login login 403  403  403
            POST   /admin/apps/groups                                     login 403 403  403  302  login login 403  403  403
            GET    /favicon.ico                                           200  200  200  200  200  200  200  200  200  200
            GET    /api-docs.html                                         login 302  302  302  302  login login 302  302  302  # to Swagger UI's page
            GET    /v3/api-docs                                           401  200  200  200  200  401  401  200  200  200
            GET    /v3/api-docs/{group}                                   401  200  200  200  200  401  401  200  200  200
            GET    /v3/api-docs.yaml                                      401  200  200  200  200  401  401  200  200  200
            GET    /v3/api-docs.yaml/{group}                              401  200  200  200  200  401  401  200  200  200
            GET    /v3/api-docs/swagger-config                            401  200  200  200  200  401  401  200  200  200
            *      /forbidden                                             403  403  403  403  403  403  403  403  403  403
            *      /error                                                 404  404  404  404  404  404  404  404  404  404
            GET    /executions/{id}/crate                                 login  404  409  404  409  login  login  404  409  404  # not ended yet; admins may read it
            GET    /executions/{id}/report                                login  404  200  404  200  login  login  404  200  404  # a snapshot while it runs; admins may read it
            POST   /admin/users/approve                                   login  403  403  403  404  login  login  403  403  403  # no such user
            POST   /admin/users/reject                                    login  403  403  403  404  login  login  403  403  403  # no such user
            POST   /admin/limits/user                                     login  403  403  403  302  login  login  403  403  403
            POST   /admin/limits/group                                    login  403  403  403  302  login  login  403  403  403
            GET    /admin/usage                                           login  403  403  403  200  login  login  403  403  403
            GET    /admin/usage.csv                                       login  403  403  403  200  login  login  403  403  403
            POST   /admin/storage/orphan-sweep                            login  403  403  403  302  login  login  403  403  403
            POST   /files/uploads                                         401  200  200  200  200  401  401  200  200  200  # local storage: {"direct": false}
            POST   /files/uploads/{id}/parts/{number}                     401  404  404  404  404  401  401  404  404  404  # no upload of that id
            POST   /files/uploads/{id}/complete                           401  404  404  404  404  401  401  404  404  404  # no upload of that id

            GET    /actuator                                              401  403  403  403  200  401  401  403  403  403
            GET    /actuator/health                                       200  200  200  200  200  200  200  200  200  200
            GET    /actuator/health/**                                    200  200  200  200  200  200  200  200  200  200
            GET    /actuator/info                                         401  403  403  403  200  401  401  403  403  403
            GET    /actuator/metrics                                      401  403  403  403  200  401  401  403  403  403
            GET    /actuator/metrics/{requiredMetricName}                 401  403  403  403  200  401  401  403  403  403
            GET    /actuator/prometheus                                   401  403  403  403  200  401  401  403  403  403
            """;

    /**
     * Routes where an admin acts on anyone's object by design: deleting an execution (issue: limits and
     * deletion), and reading one, its tasks and logs (issue 11: admins see every user's executions).
     */
    static final Set<String> ADMINS_MAY = Set.of("DELETE /api/v1/executions/{id}", "POST /executions/{id}/delete",
            "DELETE /rest/executions/{executionIdentifier}",
            "GET /api/v1/executions/{id}", "GET /api/v1/executions/{id}/tasks", "GET /api/v1/executions/{id}/logs",
            "GET /executions/{id}", "GET /executions/{id}/live", "GET /api/v1/executions/{id}/crate", "GET /executions/{id}/crate",
            "GET /api/v1/executions/{id}/report", "GET /executions/{id}/report", "GET /executions/{id}/logs", "GET /executions/{id}/log",
            "GET /rest/executions/{executionIdentifier}/stdout", "GET /rest/executions/{executionIdentifier}/stderr",
            "GET /rest/executions/{executionIdentifier}/jobs", "GET /rest/executions/{executionIdentifier}/jobs/{job}/stdout",
            "GET /rest/executions/{executionIdentifier}/jobs/{job}/stderr");

    /**
     * Routes where the administrator of a group the owner is in reads the owner's execution (read-only:
     * they change nothing of it), as an admin does.
     */
    static final Set<String> GROUP_ADMINS_MAY = Set.of(
            "GET /api/v1/executions/{id}", "GET /api/v1/executions/{id}/tasks", "GET /api/v1/executions/{id}/logs",
            "GET /executions/{id}", "GET /executions/{id}/live", "GET /executions/{id}/logs", "GET /executions/{id}/log",
            "GET /api/v1/executions/{id}/crate", "GET /executions/{id}/crate", "GET /api/v1/executions/{id}/report",
            "GET /executions/{id}/report",
            "GET /rest/executions/{executionIdentifier}/stdout", "GET /rest/executions/{executionIdentifier}/stderr",
            "GET /rest/executions/{executionIdentifier}/jobs", "GET /rest/executions/{executionIdentifier}/jobs/{job}/stdout",
            "GET /rest/executions/{executionIdentifier}/jobs/{job}/stderr");

    private static TestServer server;
    private static Callers callers;
    private static OwnedObjects owned;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).property("escadrille.scheduling.lease", "60s")
                .property("escadrille.scheduling.heartbeat", "15s").start();
        callers = new Callers(server, "matrix");
        owned = new OwnedObjects(server, callers);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A row of the matrix: the route, and the expected cell of each role. */
    record Row(String method, String pattern, Map<Role, String> cells) {
        String route() {
            return method + " " + pattern;
        }
    }

    @Test
    void everyRouteHasARowAndEveryRowARoute() {
        Set<String> rows = new TreeSet<>(rows().stream().map(Row::route).toList());

        assertThat(RouteTable.of(server)).as("the routes of the application (add a row to MATRIX for each new one)")
                .containsExactlyInAnyOrderElementsOf(rows);
    }

    @Test
    void everyRoleGetsTheStatusOfItsCell() {
        List<String> differences = new ArrayList<>();
        StringBuilder observed = new StringBuilder();
        for (Row row : rows()) {
            var line = new StringBuilder(String.format("%-6s %-54s", row.method(), row.pattern()));
            for (Role role : Role.values()) {
                String cell = observe(row, role);
                line.append(' ').append(String.format("%-4s", cell));
                if (!cell.equals(row.cells().get(role))) {
                    differences.add(row.route() + " as " + role.column + ": expected " + row.cells().get(role) + ", got " + cell);
                }
            }
            observed.append(line.toString().stripTrailing()).append('\n');
        }
        assertThat(differences).as("observed:\n" + observed).isEmpty();
    }

    /**
     * Another user's object is a 404: never a 403 (it would say the object exists) nor, of course, a 200;
     * also to members of the owner's group (nothing is shared with it here) and of another group.
     */
    @Test
    void nobodyButTheOwnerReachesTheOwnersObjects() {
        List<String> leaks = new ArrayList<>();
        for (Row row : rows()) {
            boolean holdsAnObject = row.pattern().matches(".*\\{(id|\\*path|attemptId|executionIdentifier|\\*completePath)}.*")
                    && !row.method().equals("PUT")
                    || row.route().equals("POST /files/delete");
            if (!holdsAnObject) {
                continue;
            }
            for (Role role : row.pattern().contains("{attemptId}") ? List.of(Role.OTHER_PILOT)
                    : List.of(Role.OTHER_USER, Role.DEVELOPER, Role.ADMIN, Role.MEMBER, Role.GROUP_ADMIN, Role.OUTSIDER)) {
                String cell = row.cells().get(role);
                if (!cell.equals("404") && !(role == Role.ADMIN && ADMINS_MAY.contains(row.route()))
                        && !(role == Role.GROUP_ADMIN && GROUP_ADMINS_MAY.contains(row.route()))) {
                    leaks.add(row.route() + " as " + role.column + ": " + cell);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /**
     * The shared folder of the owner's group, {@code groups/matrix-team/...} (and {@code /vip/matrix-team/...}
     * in CARMIN), through every route that reads or lists a path: its members (any role) reach it; everyone
     * else, the platform's admins and members of another group included, gets a 404, never a 403.
     */
    @Test
    void theOwnersGroupFolderIsReachedByItsMembersOnly() {
        String folder = "groups/" + OwnedObjects.GROUP;
        var stored = callers.send(Role.OWNER, null, Request.of("PUT", "/api/v1/files/" + folder + "/shared.txt").as(Kind.SCRIPT)
                .with("application/octet-stream", "the team's".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        var reads = List.of(Request.of("GET", "/api/v1/files/" + folder + "/shared.txt").as(Kind.SCRIPT),
                Request.of("GET", "/api/v1/files?dir=" + folder).as(Kind.SCRIPT),
                Request.of("GET", "/rest/path/vip/" + OwnedObjects.GROUP + "/shared.txt?action=content").as(Kind.SCRIPT),
                Request.of("GET", "/rest/path/vip/" + OwnedObjects.GROUP + "?action=list").as(Kind.SCRIPT),
                Request.of("GET", "/files?dir=" + folder),
                Request.of("GET", "/files/download/" + folder + "/shared.txt"),
                Request.of("GET", "/files/preview/" + folder + "/shared.txt"));
        var differences = new ArrayList<String>();
        for (Role role : List.of(Role.OWNER, Role.MEMBER, Role.GROUP_ADMIN, Role.OTHER_USER, Role.DEVELOPER, Role.ADMIN,
                Role.OUTSIDER)) {
            String expected = role == Role.OWNER || role == Role.MEMBER || role == Role.GROUP_ADMIN ? "200" : "404";
            for (var read : reads) {
                String cell = cell(callers.send(role, null, read));
                if (!cell.equals(expected)) {
                    differences.add(read.path() + " as " + role.column + ": expected " + expected + ", got " + cell);
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    static List<Row> rows() {
        var rows = new ArrayList<Row>();
        for (String line : MATRIX.lines().toList()) {
            String text = line.replaceFirst("(^|\\s)#.*", "").strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] fields = text.split("\\s+");
            assertThat(fields).as("a row has a method, a path and %d cells: %s", Role.values().length, line)
                    .hasSize(2 + Role.values().length);
            var cells = new LinkedHashMap<Role, String>();
            for (Role role : Role.values()) {
                cells.put(role, fields[2 + role.ordinal()]);
            }
            rows.add(new Row(fields[0], fields[1], cells));
        }
        return rows;
    }

    private static String observe(Row row, Role role) {
        String pilotToken = null;
        String path = row.pattern();
        if (path.contains("{attemptId}")) {
            var attempt = owned.freshAttempt();
            path = path.replace("{attemptId}", attempt.id());
            pilotToken = role == Role.ITS_PILOT ? attempt.holder().token() : owned.freshPilot().token();
        } else if (role.isPilot()) {
            // a registration spends the token a pilot is started with; every other call carries a session token
            pilotToken = row.route().equals("POST /api/pilot/v1/register") ? owned.unregisteredPilot().token()
                    : owned.freshPilot().token();
        }
        var response = callers.send(role, pilotToken, request(row, fill(row, path)));
        return cell(response);
    }

    static String cell(HttpResponse<String> response) {
        if (response.statusCode() == 302 && response.headers().firstValue("Location").orElse("").endsWith("/login")) {
            return "login";
        }
        return Integer.toString(response.statusCode());
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    /** The path with its variables replaced by the owner's objects (fresh ones for changes). */
    private static String fill(Row row, String pattern) {
        boolean change = !row.method().equals("GET") && !row.method().equals("*");
        pattern = pattern.replace("{pilotId}", "unknown-pilot");
        if (pattern.startsWith("/api/v1/groups/{name}")) {
            boolean ofAMember = pattern.endsWith("/members/{username}");
            pattern = pattern.replace("{username}", ofAMember ? owned.freshMember() : "")
                    // a limit on a group of nobody's: one on the owner's group would hold their next launches back
                    .replace("{name}", row.method().equals("DELETE") && !ofAMember || pattern.endsWith("/limits")
                            ? owned.freshGroup() : OwnedObjects.GROUP);
        }
        pattern = pattern.replace("{token}", owned.linkToken());
        if (pattern.contains("{username}")) {
            pattern = pattern.replace("{username}", change ? owned.freshUser() : "admin");
        }
        if (pattern.startsWith("/api/v1/sites/{name}") || pattern.startsWith("/admin/sites/{name}")) {
            pattern = pattern.replace("{name}", change ? owned.freshSite() : owned.site());
        }
        String path = pattern.replace("/**", "/liveness").replace("{requiredMetricName}", "jvm.memory.used")
                .replace("{index}", "0").replace("{events}", "1").replace("{version}", "1.0").replace("{number}", "1")
                .replace("{name}", row.route().equals("DELETE /api/v1/apps/{name}/{version}") ? owned.freshApp() : OwnedObjects.APP);
        if (path.contains("/keys/{id}")) {
            path = path.replace("{id}", owned.freshKeyId());
        }
        path = path.replace("{id}", change ? owned.freshExecution() : owned.execution());
        path = path.replace("{executionIdentifier}", change ? owned.freshExecution() : owned.execution());
        path = path.replace("{group}", "carmin").replace("{job}", "0");
        path = path.replace("{*pipelineIdentifier}", OwnedObjects.APP + "/1.0").replace("{pipelineIdentifier}", OwnedObjects.APP);
        if (path.contains("{*completePath}")) {
            String file = switch (row.method()) {
                case "PUT" -> "matrix/put-" + COUNTER.incrementAndGet() + ".txt";
                case "DELETE" -> owned.freshFile();
                default -> OwnedObjects.FILE + "?action=content";
            };
            path = path.replace("{*completePath}", "vip/Home/" + file);
        }
        if (path.contains("{*path}")) {
            String file = switch (row.method()) {
                case "PUT" -> "matrix/put-" + COUNTER.incrementAndGet() + ".txt";
                case "DELETE" -> owned.freshFile();
                default -> OwnedObjects.FILE;
            };
            path = path.replace("{*path}", file);
        }
        var left = VARIABLE.matcher(path);
        assertThat(left.find()).as("no value for %s in %s: teach fill() about it", path, row.route()).isFalse();
        return path;
    }

    /** The request of a row: its method, body and kind as its real clients send them. */
    private static Request request(Row row, String path) {
        String method = row.method().equals("*") ? "GET" : row.method();
        int n = COUNTER.incrementAndGet();
        var request = Request.of(method, path);
        request = switch (row.route()) {
            case "POST /api/pilot/v1/register" -> request.json(OwnedObjects.REGISTRATION);
            case "POST /api/pilot/v1/lease" -> request.json("{\"freeSlots\": 1, \"freeMemoryMb\": 1024, \"waitMs\": 0}");
            case "POST /api/pilot/v1/heartbeat" -> request.json("{\"attempts\": [], \"freeSlots\": 1}");
            case "POST /api/pilot/v1/completions" -> request.json("{\"completions\": []}");
            case "PUT /api/pilot/v1/attempts/{attemptId}/outputs" -> Request.of(method, path + "?path=count.txt").with(
                    "application/octet-stream", new byte[] {'4', '\n'});
            case "POST /api/pilot/v1/attempts/{attemptId}/outputs/direct" -> request.json("{\"path\": \"count.txt\", \"size\": 2,"
                    + " \"sha256\": \"" + "0".repeat(64) + "\"}");
            case "POST /api/pilot/v1/attempts/{attemptId}/outputs/multipart" -> request.json("{\"path\": \"count.txt\","
                    + " \"size\": 2, \"sha256\": \"" + "0".repeat(64) + "\"}");
            case "POST /api/pilot/v1/attempts/{attemptId}/outputs/multipart/part" -> Request.of(method, path + "?size=2")
                    .json("{\"path\": \"count.txt\", \"uploadId\": \"u\", \"number\": 1}");
            case "POST /api/pilot/v1/attempts/{attemptId}/outputs/multipart/complete" -> request.json(
                    "{\"path\": \"count.txt\", \"uploadId\": \"u\", \"number\": 1}");
            case "POST /api/v1/uploads", "POST /files/uploads" -> request.json("{\"path\": \"matrix/up-" + n + ".bin\", \"size\": 1}");
            case "POST /api/v1/uploads/{id}/complete", "POST /files/uploads/{id}/complete" -> request.json(
                    "{\"sha256\": \"" + "0".repeat(64) + "\"}");
            case "POST /api/pilot/v1/attempts/{attemptId}/checkpoints/{events}/direct" -> request.json("{\"path\": \"state.bin\","
                    + " \"size\": 1, \"sha256\": \"" + "0".repeat(64) + "\"}");
            case "PUT /api/pilot/v1/attempts/{attemptId}/checkpoints/{events}" -> Request.of(method, path + "?path=state.bin")
                    .with("application/octet-stream", new byte[] {1});
            case "POST /api/pilot/v1/attempts/{attemptId}/log" -> Request.of(method, path + "?stream=stdout&offset=0")
                    .with("application/octet-stream", new byte[] {'x'});
            case "POST /api/pilot/v1/attempts/{attemptId}/complete" -> request.json(
                    "{\"outcome\": \"SUCCEEDED\", \"exitCode\": 0, \"startedAtMs\": 1, \"endedAtMs\": 2}");
            case "PUT /api/v1/users/{username}/storage-quota" -> request.json("{\"bytes\": 1000000000}");
            case "PUT /api/v1/users/{username}/limits", "PUT /api/v1/groups/{name}/limits" ->
                    request.json("{\"maxRunningExecutions\": 50}");
            case "POST /api/v1/sites" -> request.json("{\"name\": \"matrix-new-" + n + "\", \"kind\": \"manual\"}");
            case "PATCH /api/v1/sites/{name}" -> request.json("{\"enabled\": false}");
            case "POST /api/v1/groups" -> request.json("{\"name\": \"matrix-new-" + n + "\"}");
            case "POST /api/v1/groups/{name}/members" -> request.json("{\"username\": \"" + owned.freshUser() + "\"}");
            case "PUT /api/v1/groups/{name}/members/{username}" -> request.json("{\"role\": \"ADMIN\"}");
            case "PUT /api/v1/apps/{name}/{version}/groups" -> request.json("{\"groups\": []}");
            case "POST /api/v1/executions/{id}/shares" -> request.json("{\"link\": true}");
            case "DELETE /api/v1/executions/{id}/shares" -> {
                owned.shareByLink(path.split("/")[4]);
                yield Request.of(method, path + "?link=true");
            }
            case "POST /api/v1/apps" -> request.json(OwnedObjects.DESCRIPTOR.formatted("matrix-app-" + n));
            case "POST /api/v1/executions" -> request.json("{\"app\": \"pi\", \"inputs\": {\"events\": 1000}}");
            case "POST /rest/executions" -> request.json("{\"name\": \"matrix\", \"pipelineIdentifier\": \"pi\", "
                    + "\"inputValues\": {\"events\": 1000}}");
            case "PUT /rest/executions/{executionIdentifier}" -> request.json("{\"name\": \"renamed-" + n + "\", "
                    + "\"pipelineIdentifier\": \"" + OwnedObjects.APP + "/1.0\", \"inputValues\": {}}");
            case "POST /rest/authenticate" -> request.json("{\"username\": \"matrix-owner\", \"password\": \"password-matrix-owner\"}");
            case "PUT /rest/path/{*completePath}" -> request.with("application/octet-stream", new byte[] {'x'});
            case "PUT /api/v1/files/{*path}", "PUT /files/upload/{*path}" -> request.with("application/octet-stream", new byte[] {'x'});
            case "POST /account/keys" -> request.form("label=key-" + n);
            case "POST /api/v1/account/keys" -> request.json("{\"label\": \"key-" + n + "\"}");
            case "POST /api/v1/account/password" -> request.json("{\"currentPassword\": \"not-the-password\", "
                    + "\"newPassword\": \"a-new-password-" + n + "\"}");
            case "POST /account/password" -> request.form("currentPassword=not-the-password&newPassword=a-new-password-" + n);
            case "POST /admin/sites/{name}/enabled" -> request.form("enabled=false");
            case "POST /admin/limits/user" -> request.form("username=" + owned.freshUser() + "&max=3");
            case "POST /admin/limits/group" -> request.form("group=matrix-" + n + "&max=3");
            case "POST /admin/users/role" -> request.form("username=nobody-" + n + "&role=DEVELOPER");
            case "POST /admin/users/approve", "POST /admin/users/reject" -> request.form("username=nobody-" + n);
            case "PATCH /api/v1/users/{username}" -> request.json("{\"email\": \"matrix-" + n + "@example.org\"}");
            case "POST /api/v1/users/{username}/password" -> request.json("{}");
            case "POST /admin/users/email" -> request.form("username=" + owned.freshUser() + "&email=matrix-" + n + "@example.org");
            case "POST /admin/users/enabled" -> request.form("username=" + owned.freshUser() + "&enabled=false");
            case "POST /admin/users/password" -> request.form("username=" + owned.freshUser());
            case "POST /publish" -> request.form("descriptor=" + URLEncoder.encode(OwnedObjects.DESCRIPTOR.formatted("matrix-portal-" + n),
                    StandardCharsets.UTF_8));
            case "POST /publish/delete", "POST /publish/relist" -> request.form("name=" + owned.freshApp() + "&version=1.0");
            case "POST /admin/users" -> request.form("username=new-" + n + "&password=password-of-new-" + n + "&role=USER");
            case "POST /executions/{id}/shares" -> request.form("link=true");
            case "POST /executions/{id}/shares/revoke" -> {
                owned.shareByLink(path.split("/")[2]);
                yield request.form("link=true");
            }
            case "POST /admin/groups" -> request.form("name=matrix-portal-" + n);
            case "POST /admin/groups/delete" -> request.form("name=" + owned.freshGroup());
            case "POST /admin/groups/members" -> request.form("name=" + OwnedObjects.GROUP + "&username=" + owned.freshUser());
            case "POST /admin/groups/members/remove" -> request.form("name=" + OwnedObjects.GROUP + "&username=" + owned.freshMember());
            case "POST /admin/apps/groups" -> request.form("app=" + OwnedObjects.APP + "&version=1.0&groupNames=");
            case "POST /files/folders" -> request.form("name=folder-" + n);
            case "POST /files/delete" -> request.form("path=" + owned.freshFile());
            case "POST /apps/{name}/launch", "POST /apps/{name}/preview" -> request.form("in.input=" + OwnedObjects.FILE);
            default -> request;
        };
        Kind kind = switch (row.route()) {
            case "GET /files/listing", "GET /executions/{id}/live", "GET /executions/{id}/logs", "GET /executions/{id}/log",
                 "POST /apps/{name}/preview" -> Kind.FRAGMENT;
            case "PUT /files/upload/{*path}", "POST /files/uploads", "POST /files/uploads/{id}/parts/{number}",
                 "POST /files/uploads/{id}/complete" -> Kind.SCRIPT;
            // the OpenAPI documents are fetched by Swagger UI's scripts
            default -> path.startsWith("/api/") || path.startsWith("/rest/") || path.startsWith("/actuator")
                    || path.startsWith("/v3/") ? Kind.SCRIPT
                    : Kind.NAVIGATION;
        };
        return request.as(kind);
    }
}
