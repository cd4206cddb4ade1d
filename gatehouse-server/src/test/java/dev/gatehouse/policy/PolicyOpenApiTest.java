package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.http.Router;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every policy, decision and AuthZEN route the server registers is in the published OpenAPI document. */
class PolicyOpenApiTest {
    @TempDir
    Path tmp;

    @Test
    void policyRoutesAreDocumented() throws Exception {
        try (TestGatehouse server = TestGatehouse.start(tmp)) {
            JsonNode doc = new ObjectMapper().readTree(server.http("GET", "/openapi.json", null, null).body());
            List<String> missing = new ArrayList<>();
            int checked = 0;
            for (Router.Route route : server.gatehouse().router().routes()) {
                String path = route.pattern();
                if (!(path.startsWith("/v1/policies") || path.startsWith("/v1/entities") || path.equals("/v1/decide")
                        || path.startsWith("/access/") || path.contains("authzen"))) continue;
                checked++;
                JsonNode op = doc.path("paths").path(path).path(route.method().toLowerCase(Locale.ROOT));
                if (op.isMissingNode() || op.path("responses").isEmpty()) missing.add(route.method() + " " + path);
            }
            assertThat(checked).isEqualTo(17);
            assertThat(missing).isEmpty();
        }
    }
}
