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

    /** Every identity, all pages of {@link #list} (reports and reviews that need the whole inventory). */
    default List<Identity> listAll() {
        List<Identity> out = new java.util.ArrayList<>();
        String after = null;
        do {
            Page<Identity> page = list(new IdentityQuery(null, null, null, null, null, null, after, 1000));
            out.addAll(page.items());
            after = page.next();
        } while (after != null);
        return out;
    }

    Identity update(String id, IdentityUpdate update, String actor);

    Identity suspend(String id, String reason, String actor);

    Identity reactivate(String id, String reason, String actor);

    /** Terminal. Non-humans owned by a retired human become {@code orphaned} until reassigned. */
    Identity retire(String id, String reason, String actor);

    Identity reassign(String id, String newOwner, String reason, String actor);

    List<LifecycleEvent> history(String id);

    /**
     * Records that the identity acted (authentication, tool call, task-token API call); cheap, outside lifecycle
     * history, and at most once a minute per identity on each node (lastSeen has minute precision).
     */
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

    /**
     * Sets effect, risk and destination of one feature (tool, resource pattern or prompt, by its key as
     * registered) and marks it classified: it leaves quarantine, and the definition the upstream shows
     * now becomes the approved one. Only {@code effect}, {@code risk} and {@code destination} of
     * {@code classification} are read.
     */
    ToolServer classify(String serverId, Feature.Kind kind, String key, Feature classification, String actor);

    void deleteToolServer(String id, String actor);

    /**
     * Records what an upstream showed in a listing. Features the registry does not know are recorded
     * unclassified (quarantined until an admin classifies them, audited as {@code toolserver.discover});
     * a known feature is pinned to the first definition seen, and one whose definition differs from the
     * pinned one is quarantined ({@code toolserver.definition_changed}, naming the changed fields).
     * Returns the tool server as stored.
     */
    ToolServer observe(String serverId, List<ObservedFeature> seen, String actor);

    void addListener(RegistryListener listener);
}
