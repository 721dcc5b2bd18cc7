package org.escadrille.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.escadrille.cli.api.GatewayJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escadrille groups ...}, {@code share}, {@code unshare} and {@code apps restrict} against
 * {@link FakeGateway}: the requests they send and what they print.
 */
class GroupsCommandTest {
    private static final String NEURO = """
            {"name": "neuro", "description": "Brain imaging", "createdAt": "2026-01-01T00:00:00Z", "myRole": "ADMIN",
             "members": [{"username": "ann", "role": "ADMIN"}, {"username": "bob", "role": "MEMBER"}]}""";
    private static final FakeGateway.Response NO_CONTENT = new FakeGateway.Response(204, "application/json", new byte[0], Map.of());

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    @Test
    void listPrintsEachGroupWithTheCallersRole() {
        gateway.on("GET", "/api/v1/groups", FakeGateway.json(200, """
                [{"name": "astro", "description": "", "myRole": null, "members": null},
                 {"name": "neuro", "description": "Brain imaging", "myRole": "ADMIN", "members": null}]"""));

        CliRunner.Result result = run("groups", "list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                NAME   YOUR ROLE  DESCRIPTION
                astro  -
                neuro  ADMIN      Brain imaging
                """);
    }

    @Test
    void showPrintsTheMembersAndTheirRoles() {
        gateway.on("GET", "/api/v1/groups/neuro", FakeGateway.json(200, NEURO));

        CliRunner.Result result = run("groups", "show", "neuro");

        assertThat(result.out()).isEqualTo("""
                neuro: Brain imaging
                MEMBER  ROLE
                ann     ADMIN
                bob     MEMBER
                """);
    }

    @Test
    void addSendsTheUserAndTheirRoleAndRemoveAndRmDelete() {
        gateway.on("POST", "/api/v1/groups/neuro/members", FakeGateway.json(200, NEURO));
        gateway.on("DELETE", "/api/v1/groups/neuro/members/bob", NO_CONTENT);
        gateway.on("DELETE", "/api/v1/groups/neuro", NO_CONTENT);

        assertThat(run("groups", "add", "neuro", "ann", "--admin").exitCode()).isZero();
        var sent = GatewayJson.mapper().readTree(gateway.requests("POST", "/api/v1/groups/neuro/members").getFirst().bodyText());
        assertThat(sent.path("username").asString()).isEqualTo("ann");
        assertThat(sent.path("role").asString()).isEqualTo("ADMIN");
        assertThat(run("groups", "remove", "neuro", "bob").out()).isEqualTo("Removed bob from neuro\n");
        assertThat(run("groups", "rm", "neuro").out()).isEqualTo("Deleted group neuro\n");
    }

    @Test
    void createSendsTheNameAndDescription() {
        gateway.on("POST", "/api/v1/groups", FakeGateway.json(201, NEURO));

        assertThat(run("groups", "create", "neuro", "--description", "Brain imaging").exitCode()).isZero();
        var sent = GatewayJson.mapper().readTree(gateway.requests("POST", "/api/v1/groups").getFirst().bodyText());
        assertThat(sent.path("name").asString()).isEqualTo("neuro");
        assertThat(sent.path("description").asString()).isEqualTo("Brain imaging");
    }

    @Test
    void shareByLinkPrintsTheLinkOnceAndUnshareRevokesEveryLink() {
        gateway.on("POST", "/api/v1/executions/e1/shares", FakeGateway.json(201, """
                {"id": "s1", "kind": "link", "group": null, "token": "t", "url": "http://gw/api/v1/shared/t"}"""));
        gateway.on("DELETE", "/api/v1/executions/e1/shares", NO_CONTENT);

        CliRunner.Result shared = run("share", "e1", "--link");

        assertThat(shared.exitCode()).as(shared.err()).isZero();
        assertThat(shared.out()).endsWith("http://gw/api/v1/shared/t\n");
        assertThat(run("unshare", "e1", "--link").exitCode()).isZero();
        assertThat(gateway.requests("DELETE", "/api/v1/executions/e1/shares").getFirst().query()).isEqualTo("link=true");
    }

    @Test
    void shareNeedsAGroupOrALinkNotBoth() {
        assertThat(run("share", "e1").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("share", "e1", "--link", "--group", "neuro").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void restrictSendsTheGroups() {
        gateway.on("PUT", "/api/v1/apps/seg/2/groups", FakeGateway.json(200, """
                {"name": "seg", "version": "2", "groups": ["astro", "neuro"]}"""));

        CliRunner.Result result = run("apps", "restrict", "seg", "2", "--groups", "neuro,astro");

        assertThat(result.out()).isEqualTo("seg 2 is restricted to astro, neuro\n");
        var sent = GatewayJson.mapper().readTree(gateway.requests("PUT", "/api/v1/apps/seg/2/groups").getFirst().bodyText());
        assertThat(sent.path("groups").toString()).isEqualTo("[\"neuro\",\"astro\"]");
    }

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = gateway.url().toString();
        all[args.length + 2] = "--api-key";
        all[args.length + 3] = "k";
        return CliRunner.run(CliRunner.environment(dir, Map.of()), all);
    }
}
