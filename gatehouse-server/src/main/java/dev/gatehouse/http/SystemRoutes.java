package dev.gatehouse.http;

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

    public static byte[] openApiDocument() throws IOException {
        try (InputStream in = SystemRoutes.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new IOException("openapi.json missing from the build");
            return in.readAllBytes();
        }
    }
}
