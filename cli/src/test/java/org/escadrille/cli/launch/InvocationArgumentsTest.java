package org.escadrille.cli.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.escadrille.cli.api.GatewayJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class InvocationArgumentsTest {
    @TempDir
    Path dir;

    private InvocationArguments arguments() {
        return new InvocationArguments(dir, dir.resolve("home"));
    }

    private static JsonNode json(String text) {
        return GatewayJson.mapper().readTree(text);
    }

    @Test
    void aNameGivenOnceIsASingleString() {
        LaunchInputs inputs = arguments().parse(List.of("events=100000000", "label=a,b"), null);

        assertThat(inputs.toJson(Map.of()).toString()).isEqualTo("{\"events\":\"100000000\",\"label\":\"a,b\"}");
    }

    @Test
    void aRepeatedNameIsAListInTheOrderGiven() {
        LaunchInputs inputs = arguments().parse(List.of("seed=3", "events=10", "seed=1", "seed=2"), null);

        assertThat(inputs.toJson(Map.of()).toString()).isEqualTo("{\"seed\":[\"3\",\"1\",\"2\"],\"events\":\"10\"}");
    }

    @Test
    void aValueMayContainEqualsSigns() {
        LaunchInputs inputs = arguments().parse(List.of("expr=a=b"), null);

        assertThat(inputs.toJson(Map.of()).get("expr").asString()).isEqualTo("a=b");
    }

    @Test
    void atPathNamesALocalFileThatIsSentAsItsStoredPath() throws Exception {
        Path table = Files.writeString(dir.resolve("table.csv"), "1,2");

        LaunchInputs inputs = arguments().parse(List.of("table=@table.csv"), null);

        assertThat(inputs.localFiles()).containsExactly(table.toAbsolutePath());
        assertThat(inputs.toJson(Map.of(table.toAbsolutePath(), "uploads/x/table.csv")).toString())
                .isEqualTo("{\"table\":\"uploads/x/table.csv\"}");
    }

    @Test
    void atTildeNamesAFileInTheHomeDirectory() throws Exception {
        Files.createDirectories(dir.resolve("home"));
        Path data = Files.writeString(dir.resolve("home/data.txt"), "x");

        LaunchInputs inputs = arguments().parse(List.of("data=@~/data.txt"), null);

        assertThat(inputs.localFiles()).containsExactly(data.toAbsolutePath());
    }

    @Test
    void aDirectoryIsALocalFileToo() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("images"));

        LaunchInputs inputs = arguments().parse(List.of("images=@images"), null);

        assertThat(inputs.localFiles()).containsExactly(folder.toAbsolutePath());
    }

    @Test
    void doubleAtIsALiteralAt() {
        LaunchInputs inputs = arguments().parse(List.of("handle=@@escadrille"), null);

        assertThat(inputs.localFiles()).isEmpty();
        assertThat(inputs.toJson(Map.of()).get("handle").asString()).isEqualTo("@escadrille");
    }

    @Test
    void aMissingLocalFileIsRefusedNamingTheInput() {
        assertThatThrownBy(() -> arguments().parse(List.of("table=@missing.csv"), null))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessageStartingWith("table=@missing.csv: no file or directory at " + dir.resolve("missing.csv"));
    }

    @Test
    void anArgumentWithoutEqualsIsRefused() {
        assertThatThrownBy(() -> arguments().parse(List.of("events"), null))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("'events' is not an input: write name=value");
    }

    @Test
    void anEmptyNameIsRefused() {
        assertThatThrownBy(() -> arguments().parse(List.of("=3"), null))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("an input name is made of");
    }

    @Test
    void invocationValuesAreSentAsTheyAre() {
        JsonNode invocation = json("{\"events\": 1000, \"verbose\": true, \"seeds\": [1, 2], \"name\": \"run\"}");

        LaunchInputs inputs = arguments().parse(List.of(), invocation);

        assertThat(inputs.toJson(Map.of()).toString())
                .isEqualTo("{\"events\":1000,\"verbose\":true,\"seeds\":[1,2],\"name\":\"run\"}");
    }

    @Test
    void theCommandLineReplacesTheInvocationForTheSameInput() {
        JsonNode invocation = json("{\"events\": 1000, \"seeds\": [1, 2]}");

        LaunchInputs inputs = arguments().parse(List.of("seeds=7"), invocation);

        assertThat(inputs.toJson(Map.of()).toString()).isEqualTo("{\"events\":1000,\"seeds\":\"7\"}");
    }

    @Test
    void invocationStringsOnFileInputsThatNameLocalFilesAreUploaded() throws Exception {
        Path table = Files.writeString(dir.resolve("table.csv"), "1,2");
        Files.writeString(dir.resolve("title"), "a file named like a String value");
        JsonNode invocation = json("{\"table\": \"table.csv\", \"title\": \"title\", \"stored\": \"inputs/x.csv\"}");
        LaunchInputs parsed = arguments().parse(List.of(), invocation);

        LaunchInputs inputs = arguments().withLocalInvocationFiles(parsed, Set.of("table", "stored"));

        assertThat(inputs.localFiles()).containsExactly(table.toAbsolutePath());
        assertThat(inputs.toJson(Map.of(table.toAbsolutePath(), "uploads/b/table.csv")).toString())
                .isEqualTo("{\"table\":\"uploads/b/table.csv\",\"title\":\"title\",\"stored\":\"inputs/x.csv\"}");
    }

    @Test
    void anInvocationThatIsNotAnObjectIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("inv.json"), "[1, 2]");

        assertThatThrownBy(() -> InvocationArguments.readInvocation(file, GatewayJson.mapper()))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("is not a JSON object of input ids to values");
    }

    @Test
    void anInvocationThatIsNotJsonIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("inv.json"), "{events: }");

        assertThatThrownBy(() -> InvocationArguments.readInvocation(file, GatewayJson.mapper()))
                .isInstanceOf(InvalidArgumentsException.class)
                .hasMessageContaining("is not valid JSON");
    }
}
