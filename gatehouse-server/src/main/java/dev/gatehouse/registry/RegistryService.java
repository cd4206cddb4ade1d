package dev.gatehouse.registry;

import dev.gatehouse.core.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The inventory: every human, workload and agent, their groups, and the tool servers they may
 * reach. {@code actor} is who asks (e.g. {@code admin-token:ab12}), recorded with each change.
 * Failures are {@link dev.gatehouse.core.Problem}s; nothing is written when one is thrown.
 */
public interface RegistryService {
    Identity register(IdentitySpec spec, String actor);

    Identity get(String id);

    Optional<Identity> find(String id);

    Page<Identity> list(IdentityQuery query);

    Identity update(String id, IdentityUpdate update, String actor);

    Identity suspend(String id, String reason, String actor);

    Identity reactivate(String id, String reason, String actor);

    /** Terminal. Non-humans owned by a retired human become {@code orphaned} until reassigned. */
    Identity retire(String id, String reason, String actor);

    Identity reassign(String id, String newOwner, String reason, String actor);

    List<LifecycleEvent> history(String id);

    /** Records that the identity acted (authentication, tool call); cheap, outside lifecycle history. */
    void touch(String id, Instant at);

    /** All group ids the identity is in, directly or through nesting. */
    List<String> groupClosure(String identityId);

    Group createGroup(GroupSpec spec, String actor);

    Group getGroup(String id);

    List<Group> listGroups();

    Group updateGroup(String id, GroupSpec spec, String actor);

    void deleteGroup(String id, String actor);

    ToolServer createToolServer(ToolServerSpec spec, String actor);

    ToolServer getToolServer(String id);

    List<ToolServer> listToolServers();

    ToolServer replaceToolServer(String id, ToolServerSpec spec, String actor);

    /** Sets effect, risk and destination of one tool and marks it classified. */
    ToolServer classifyTool(String serverId, String toolName, Tool classification, String actor);

    void deleteToolServer(String id, String actor);

    /**
     * Records tools an upstream announced (e.g. MCP {@code tools/list}) that the tool server does not
     * list yet, unclassified (execute / high until an admin classifies them). Known tools, and their
     * classifications, are left as they are. Returns the tool server as stored.
     */
    ToolServer recordDiscoveredTools(String serverId, List<Tool> discovered, String actor);

    void addListener(RegistryListener listener);
}
