package dev.gatehouse.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Health, readiness, metrics and the OpenAPI document: public, unauthenticated, side-effect free. */
public final class SystemRoutes {
    private final BooleanSupplier storeReachable;
    private final PrometheusMeterRegistry prometheus;

    public SystemRoutes(BooleanSupplier storeReachable, PrometheusMeterRegistry prometheus) {
        this.storeReachable = storeReachable;
        this.prometheus = prometheus;
    }

    public void register(Router r) {
        r.get("/healthz", Access.PUBLIC, "Process is up", req -> ApiResponse.ok(Map.of("status", "ok")));
        r.get("/readyz", Access.PUBLIC, "Store is reachable", req -> storeReachable.getAsBoolean()
                ? ApiResponse.ok(Map.of("status", "ready"))
                : ApiResponse.json(503, Map.of("status", "unavailable", "reason", "store unreachable")));
        r.get("/metrics", Access.PUBLIC, "Prometheus metrics (text format 0.0.4)",
                req -> ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape()));
        r.get("/openapi.json", Access.PUBLIC, "OpenAPI 3 description of this API",
                req -> ApiResponse.bytes(200, "application/json", openApiDocument()));
    }

    /** base.json with every feature fragment listed in fragments.txt merged in (paths and schemas). */
    public static byte[] openApiDocument() throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(resource("base.json"));
        String index = new String(resource("fragments.txt"), java.nio.charset.StandardCharsets.UTF_8);
        for (String line : index.split("\\R")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            JsonNode fragment = Json.MAPPER.readTree(resource(name));
            ((ObjectNode) doc.get("paths")).setAll((ObjectNode) fragment.path("paths"));
            if (fragment.path("components").path("schemas").isObject()) {
                ((ObjectNode) doc.get("components").get("schemas")).setAll((ObjectNode) fragment.get("components").get("schemas"));
            }
        }
        return Json.MAPPER.writeValueAsBytes(doc);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SystemRoutes.class.getResourceAsStream("/openapi/" + name)) {
            if (in == null) throw new IOException("openapi/" + name + " missing from the build");
            return in.readAllBytes();
        }
    }
}
