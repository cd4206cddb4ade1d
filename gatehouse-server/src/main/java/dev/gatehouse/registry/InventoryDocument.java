package dev.gatehouse.registry;

import java.util.List;

/**
 * The declarative inventory ({@code gatehouse apply -f}, {@code gatehouse export}): groups,
 * identities and tool servers as their owners declare them, in the same shapes the API accepts.
 * Lifecycle (suspend, retire) stays an operation with a reason and is not declared here; retired
 * identities are therefore not exported.
 */
public record InventoryDocument(List<GroupSpec> groups, List<IdentitySpec> identities, List<ToolServerSpec> toolServers) {
    public InventoryDocument {
        groups = groups == null ? List.of() : List.copyOf(groups);
        identities = identities == null ? List.of() : List.copyOf(identities);
        toolServers = toolServers == null ? List.of() : List.copyOf(toolServers);
    }
}
