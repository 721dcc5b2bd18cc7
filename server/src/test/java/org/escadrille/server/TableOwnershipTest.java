package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every table has one owner (docs/architecture.md): only the owner's classes name it in SQL, and the few
 * reads across an owner's boundary are listed here with their reason. ArchUnit sees no string
 * constants, so this reads the server's sources.
 */
class TableOwnershipTest {
    /** Each table and the classes (paths under org/escadrille/server) that own its SQL. */
    private static final Map<String, Set<String>> OWNERS = Map.ofEntries(
            Map.entry("users", Set.of("account/AccountRepository.java")),
            Map.entry("api_keys", Set.of("account/AccountRepository.java")),
            Map.entry("user_identities", Set.of("account/IdentityRepository.java")),
            Map.entry("audit_events", Set.of("audit/AuditLog.java")),
            Map.entry("stored_files", Set.of("storage/StoredFileRepository.java")),
            Map.entry("group_files", Set.of("storage/StoredFileRepository.java")),
            Map.entry("storage_quotas", Set.of("storage/StorageQuotaRepository.java")),
            Map.entry("upload_sessions", Set.of("storage/UploadSessionRepository.java")),
            Map.entry("applications", Set.of("catalog/ApplicationRepository.java")),
            Map.entry("executions", Set.of("execution/ExecutionRepository.java")),
            Map.entry("mc_runs", Set.of("montecarlo/MonteCarloRepository.java")),
            Map.entry("mc_tasks", Set.of("montecarlo/MonteCarloRepository.java")),
            Map.entry("merged_outputs", Set.of("montecarlo/MonteCarloRepository.java")),
            Map.entry("tasks", Set.of("scheduling/TaskRepository.java", "scheduling/TaskQueries.java")),
            Map.entry("attempts", Set.of("scheduling/TaskRepository.java", "scheduling/TaskQueries.java")),
            Map.entry("task_outputs", Set.of("scheduling/TaskRepository.java", "scheduling/TaskQueries.java")),
            Map.entry("pilots", Set.of("scheduling/PilotRegistry.java")),
            Map.entry("pilot_tokens", Set.of("scheduling/PilotTokens.java")),
            Map.entry("sites", Set.of("site/SiteRepository.java")),
            Map.entry("user_limits", Set.of("limits/LimitRepository.java")),
            Map.entry("group_limits", Set.of("limits/LimitRepository.java")),
            Map.entry("user_groups", Set.of("group/GroupRepository.java")),
            Map.entry("group_members", Set.of("group/GroupRepository.java")),
            Map.entry("app_version_groups", Set.of("catalog/ApplicationRepository.java")),
            Map.entry("execution_shares", Set.of("execution/ShareRepository.java")));

    /**
     * Reads (never writes) of another owner's table that stay joins, each for a reason: "table class".
     */
    private static final Set<String> READS_ACROSS = Set.of(
            // An execution's row shows its owner's name, and the list filters by application name.
            "users execution/ExecutionRepository.java",
            "applications execution/ExecutionRepository.java",
            // An application in use by an execution cannot be deleted.
            "executions catalog/ApplicationRepository.java",
            // At start-up the queue is rebuilt from the live tasks with their owner and priority, in one read.
            "executions scheduling/TaskRepository.java",
            "users scheduling/TaskRepository.java",
            // The footprint of attempts by their pilot's site and processor, and of one owner's executions.
            "pilots scheduling/TaskQueries.java",
            "executions scheduling/TaskQueries.java");

    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static List<Source> sources;

    private record Source(String path, String code) {
    }

    @BeforeAll
    static void readSources() throws IOException {
        Path root = Path.of(System.getProperty("escadrille.repo.root", ".."), "server", "src", "main", "java", "org",
                "escadrille", "server");
        try (Stream<Path> files = Files.walk(root)) {
            sources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String path = root.relativize(file).toString().replace('\\', '/');
                sources.add(new Source(path, COMMENT.matcher(Files.readString(file)).replaceAll(" ")));
            }
        }
        assertThat(sources).as("the server's sources under " + root).hasSizeGreaterThan(50);
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwner() throws IOException {
        Path migrations = Path.of(System.getProperty("escadrille.repo.root", ".."), "server", "src", "main", "resources",
                "db", "migration");
        var created = new ArrayList<String>();
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path file : files.toList()) {
                var matcher = Pattern.compile("CREATE TABLE (\\w+)", Pattern.CASE_INSENSITIVE).matcher(Files.readString(file));
                while (matcher.find()) {
                    created.add(matcher.group(1).toLowerCase());
                }
            }
        }
        assertThat(OWNERS.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(created));
    }

    @Test
    void onlyTheOwnerOfATableWritesIt() {
        var offences = new ArrayList<String>();
        OWNERS.forEach((table, owners) -> {
            var writes = Pattern.compile("\\b(UPDATE|INSERT\\s+INTO|DELETE\\s+FROM|MERGE\\s+INTO)\\s+" + table + "\\b");
            sources.stream().filter(source -> !owners.contains(source.path()) && writes.matcher(source.code()).find())
                    .forEach(source -> offences.add(source.path() + " writes " + table));
        });
        assertThat(offences).isEmpty();
    }

    @Test
    void onlyTheOwnerOfATableReadsIt_saveTheListedJoins() {
        var offences = new ArrayList<String>();
        OWNERS.forEach((table, owners) -> {
            var names = Pattern.compile("\\b(FROM|JOIN|UPDATE|INTO|TABLE)\\s+" + table + "\\b");
            sources.stream()
                    .filter(source -> !owners.contains(source.path()) && !READS_ACROSS.contains(table + " " + source.path()))
                    .filter(source -> names.matcher(source.code()).find())
                    .forEach(source -> offences.add(source.path() + " names " + table + " in SQL; ask its owner ("
                            + owners + ") through a method instead"));
        });
        assertThat(offences).isEmpty();
    }

    @Test
    void taskAndExecutionStatusListsComeFromTheirEnums() {
        // A status spelled in an IN list drifts from the enum when a status is added; SqlLists renders them.
        var list = Pattern.compile("IN\\s*\\(\\s*'(QUEUED|LEASED|RUNNING|Finished|InitializationFailed|ExecutionFailed|Killed)'");
        assertThat(sources.stream().filter(source -> list.matcher(source.code()).find()).map(Source::path)).isEmpty();
    }
}
