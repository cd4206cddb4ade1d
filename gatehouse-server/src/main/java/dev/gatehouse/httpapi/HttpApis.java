package dev.gatehouse.httpapi;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Tool;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.store.Sql;
import dev.gatehouse.store.Transactions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The route tables of governed HTTP APIs: which request of a tool server's API is a call of which of
 * its tools. A table is replaced whole, validated against the server's tools, in one transaction,
 * audited. Requests that match no route are refused (default deny).
 */
public final class HttpApis {
    public static final int MAX_ROUTES = 500;

    private final Transactions tx;
    private final RegistryService registry;
    private final AuditLog audit;

    public HttpApis(Transactions tx, RegistryService registry, AuditLog audit) {
        this.tx = tx;
        this.registry = registry;
        this.audit = audit;
    }

    public List<HttpRoute> routes(String serverId) {
        registry.getToolServer(serverId); // 404 for an unknown server
        return tx.inTransaction(() -> read(serverId));
    }

    /** Replaces the route table of {@code serverId}; every route's tool must be one of the server's tools. */
    public List<HttpRoute> replaceRoutes(String serverId, List<HttpRoute> declared, String actor) {
        if (declared == null) throw new Problem.Invalid("routes", "routes is required (an empty list removes every route)");
        if (declared.size() > MAX_ROUTES) throw new Problem.Invalid("routes", "at most " + MAX_ROUTES + " routes per tool server");
        ToolServer server = registry.getToolServer(serverId);
        Set<String> tools = server.tools().stream().map(Tool::name).collect(Collectors.toSet());
        List<HttpRoute> routes = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            HttpRoute route = HttpRoute.checked(declared.get(i), "routes[" + i + "]");
            if (!tools.contains(route.tool())) {
                throw new Problem.Invalid("routes[" + i + "].tool", "tool '" + route.tool() + "' is not a tool of " + serverId);
            }
            routes.add(route);
        }
        return tx.inTransaction(() -> {
            Sql.update(tx.connection(), "DELETE FROM http_routes WHERE server_id = ?", serverId);
            for (int i = 0; i < routes.size(); i++) {
                HttpRoute r = routes.get(i);
                Sql.update(tx.connection(), "INSERT INTO http_routes (server_id, position, method, path, tool) VALUES (?, ?, ?, ?, ?)",
                        serverId, i, r.method(), r.path(), r.tool());
            }
            audit.record(AuditEvent.of("toolserver.http_routes.set", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withAction("toolserver.http_routes.set", serverId).withDetail(Map.of("routes", routes.size())));
            return List.copyOf(routes);
        });
    }

    /** The first route of {@code serverId} that {@code method path} matches, in declared order. */
    Optional<HttpRoute> match(String serverId, String method, String path) {
        List<String> segments = HttpRoute.segments(path);
        return tx.inTransaction(() -> read(serverId)).stream().filter(r -> r.matches(method, segments)).findFirst();
    }

    private List<HttpRoute> read(String serverId) throws SQLException {
        return Sql.query(tx.connection(), "SELECT method, path, tool FROM http_routes WHERE server_id = ? ORDER BY position",
                r -> new HttpRoute(r.string("method"), r.string("path"), r.string("tool")), serverId);
    }
}
