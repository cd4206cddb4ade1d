package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.fuzz.FuzzServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A declarative inventory as `gatehouse apply` reads it (YAML or JSON) and as the server plans it (dry run):
 * a bad file is one line from the reader, a bad document a 400 from the server; nothing else.
 */
class InventoryFuzzTest {
    private static Path file;

    /** The server starts before fuzzing does, so the fuzzing time is spent on inputs. */
    @org.junit.jupiter.api.BeforeAll
    static void startServer() throws Exception {
        FuzzServer.get();
    }

    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"identities:", "groups:", "toolServers:", "- id: ", "kind: agent", "kind: human", "owner: ", "scope:",
            "tools: [", "effects: [read]", "parents: [", "url: ", "stdio: ", "displayName: ", "environment: dev", "autonomy: assistive",
            "{", "}", "[", "]", "&a", "*a", "!!", "---", "\\x0a  "})
    void anyInventoryFileIsReadAndPlannedOrRefused(FuzzedDataProvider data) throws Exception {
        FuzzServer.allowLoopback();
        if (file == null) file = Files.createTempFile("inventory", ".yaml");
        Files.writeString(file, data.consumeRemainingAsString());
        JsonNode document;
        try {
            document = InventoryFiles.read(file);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith(file.toString());
            return;
        }
        int status = FuzzServer.get().call("POST", "/v1/inventory/apply", "dryRun=true", Map.of("Content-Type", "application/json"),
                Json.write(document).getBytes(StandardCharsets.UTF_8), FuzzServer.ADMIN);
        assertThat(status).isIn(200, 400);
    }
}
