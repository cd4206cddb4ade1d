package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published OpenAPI document describes every API route the server really registers, and nothing else. The
 * console's HTML pages ({@code /} and {@code /console/…}, docs/console.md) are for browsers, not API clients,
 * and are left out of it.
 */
class OpenApiCoverageTest {
    @TempDir
    Path tmp;

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        try (TestGatehouse server = TestGatehouse.start(tmp)) {
            JsonNode doc = new ObjectMapper().readTree(server.http("GET", "/openapi.json", null, null).body());
            assertThat(doc.path("openapi").asText()).startsWith("3.");
            List<String> missing = new ArrayList<>();
            List<String> registered = new ArrayList<>();
            for (Router.Route route : server.gatehouse().router().routes()) {
                if (isConsolePage(route)) continue;
                String path = route.pattern().replace("{rest...}", "{rest}");
                registered.add(route.method() + " " + path);
                JsonNode op = doc.path("paths").path(path).path(route.method().toLowerCase(Locale.ROOT));
                if (op.isMissingNode()) missing.add(route.method() + " " + path);
                else assertThat(op.path("responses").size()).as(route.method() + " " + path + " documents its responses").isPositive();
            }
            assertThat(missing).as("routes missing from openapi.json").isEmpty();

            List<String> phantom = new ArrayList<>();
            doc.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(method -> {
                if (!registered.contains(method.toUpperCase(Locale.ROOT) + " " + p.getKey())) phantom.add(method + " " + p.getKey());
            }));
            assertThat(phantom).as("documented routes the server does not have").isEmpty();
        }
    }

    static boolean isConsolePage(Router.Route route) {
        return route.pattern().equals("/") || route.pattern().equals("/console") || route.pattern().startsWith("/console/");
    }
}
