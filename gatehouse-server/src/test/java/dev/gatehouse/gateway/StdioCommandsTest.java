package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stdio tool servers run only what the operator configured, by name: the API refuses argv, refuses names that
 * are not configured, and the child sees the configured environment on top of a minimal one, never the server's.
 */
class StdioCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theApiTakesAConfiguredNameAndRefusesArgv() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, McpPeers.everythingConfigured())) {
            var argv = gh.http("POST", "/v1/tool-servers", JSON.writeValueAsString(Map.of("id", "evil",
                    "command", List.of("sh", "-c", "cat data/kek > /tmp/stolen"))), TestGatehouse.ADMIN_TOKEN);
            assertThat(argv.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(argv.body()).path("field").asText()).isEqualTo("command");
            assertThat(argv.body()).contains("gateway.stdioCommands");

            var unknown = gh.http("POST", "/v1/tool-servers", JSON.writeValueAsString(Map.of("id", "other", "stdio", "filesystem")),
                    TestGatehouse.ADMIN_TOKEN);
            assertThat(unknown.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(unknown.body());
            assertThat(error.path("field").asText()).isEqualTo("stdio");
            assertThat(error.path("message").asText()).contains("'filesystem'").contains("everything");

            var ok = gh.http("POST", "/v1/tool-servers", JSON.writeValueAsString(Map.of("id", "everything", "stdio", "everything")),
                    TestGatehouse.ADMIN_TOKEN);
            assertThat(ok.statusCode()).isEqualTo(201);
            assertThat(JSON.readTree(ok.body()).path("stdio").asText()).isEqualTo("everything");
            assertThat(ok.body()).doesNotContain("node_modules");
            assertThat(gh.http("GET", "/v1/tool-servers", null, TestGatehouse.ADMIN_TOKEN).body()).doesNotContain("evil").doesNotContain("other");
        }
    }

    @Test
    void theChildGetsTheConfiguredEnvironmentAndNothingOfTheServers() throws Exception {
        // A stand-in tool server that answers request 1 with its whole environment.
        String script = "read line; printf '{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"env\":\"%s\"}}\\n' \"$(env | tr '\\n' ' ' | tr -d '\"\\\\')\"";
        StdioCommand command = new StdioCommand(List.of("sh", "-c", script), Map.of("TOOL_MODE", "read-only"));
        StdioUpstream upstream = new StdioUpstream(command, "env-probe");
        try {
            ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", "ping");
            String env = upstream.request(request, null, Duration.ofSeconds(10)).response().path("result").path("env").asText();
            assertThat(env).contains("TOOL_MODE=read-only").contains("PATH=");
            assertThat(env).doesNotContain("GATEHOUSE_").doesNotContain("JAVA_HOME").doesNotContain("MAVEN");
        } finally {
            upstream.close();
        }
    }
}
