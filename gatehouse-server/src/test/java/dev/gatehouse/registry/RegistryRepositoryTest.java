package dev.gatehouse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.Page;
import dev.gatehouse.core.Problem;
import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.registry.Vocabulary.Risk;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.store.Database;
import dev.gatehouse.testing.TestStores;
import dev.gatehouse.testing.TestStores.Kind;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The repository suite: the same behaviour of the inventory store on embedded H2 and on a real
 * PostgreSQL (127.0.0.1:5432 in CI), each test on an empty store.
 */
class RegistryRepositoryTest {
    @TempDir
    Path tmp;

    private Database database;
    private RegistryService registry;
    private InventoryService inventory;

    private void open(Kind kind) {
        String url = TestStores.freshUrl(kind, tmp);
        database = Database.open(url, kind == Kind.POSTGRES ? TestStores.pgUser() : null, null, 8);
        registry = new DefaultRegistryService(database.transactions(), Clock.systemUTC(), List.of("dev", "staging", "prod"),
                new dev.gatehouse.gateway.UpstreamRules(java.util.Map.of("filesystem",
                        new dev.gatehouse.gateway.StdioCommand(List.of("npx", "server-filesystem", "/srv"), null)),
                        dev.gatehouse.outbound.Destinations.publicOnly()), new dev.gatehouse.store.ChangeFeed(database, Clock.systemUTC()));
        inventory = new InventoryService(registry, database.transactions());
    }

    @AfterEach
    void close() {
        if (database != null) database.close();
    }

    static IdentitySpec human(String id) {
        return new IdentitySpec(id, IdentityKind.HUMAN, "Human " + id, null, null, null, List.of(), List.of(), null, null, null,
                id + "@example.com", "security");
    }

    static IdentitySpec agent(String id, String owner) {
        return new IdentitySpec(id, IdentityKind.AGENT, "Agent " + id, owner, "triages tickets", "dev", List.of("team:sec"), List.of(),
                new Scope(List.of("github/*"), Set.of(Effect.READ)), Autonomy.ASSISTIVE, "model-x", null, null);
    }

    static IdentitySpec workload(String id, String owner) {
        return new IdentitySpec(id, IdentityKind.WORKLOAD, "Workload " + id, owner, "deploys", "prod", List.of(), List.of(),
                new Scope(List.of("k8s/rollout"), Set.of(Effect.EXECUTE)), null, null, null, null);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindRoundTripsWithItsFields(Kind kind) {
        open(kind);
        registry.register(human("alice"), "test");
        Identity agent = registry.register(agent("triage-bot", "alice"), "test");
        Identity stored = registry.get("triage-bot");
        assertThat(stored).isEqualTo(agent);
        assertThat(stored.kind()).isEqualTo(IdentityKind.AGENT);
        assertThat(stored.owner()).isEqualTo("alice");
        assertThat(stored.scope().tools()).containsExactly("github/*");
        assertThat(stored.scope().effects()).containsExactly(Effect.READ);
        assertThat(stored.autonomy()).isEqualTo(Autonomy.ASSISTIVE);
        assertThat(stored.tags()).containsExactly("team:sec");
        assertThat(stored.status()).isEqualTo(IdentityStatus.ACTIVE);
        assertThat(stored.version()).isEqualTo(1);
        assertThat(registry.get("alice").email()).isEqualTo("alice@example.com");
        assertThat(registry.register(workload("deployer", "alice"), "test").scope().effects()).containsExactly(Effect.EXECUTE);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void duplicateIdIsAConflictAndChangesNothing(Kind kind) {
        open(kind);
        registry.register(human("alice"), "test");
        IdentitySpec again = new IdentitySpec("alice", IdentityKind.HUMAN, "Other", null, null, null, null, null, null, null, null,
                "other@example.com", null);
        assertThatThrownBy(() -> registry.register(again, "test")).isInstanceOf(Problem.Conflict.class);
        assertThat(registry.get("alice").displayName()).isEqualTo("Human alice");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void ownerMustBeAnExistingActiveHuman(Kind kind) {
        open(kind);
        registry.register(human("alice"), "test");
        registry.register(agent("bot", "alice"), "test");
        assertThatThrownBy(() -> registry.register(agent("a1", "nobody"), "t")).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> registry.register(agent("a2", "bot"), "t")).hasMessageContaining("is not a human");
        registry.suspend("alice", "on leave", "t");
        assertThatThrownBy(() -> registry.register(agent("a3", "alice"), "t")).hasMessageContaining("not active");
        assertThatThrownBy(() -> registry.register(agent("a4", null), "t")).hasMessageContaining("owner is required");
        assertThat(registry.find("a1")).isEmpty();
        assertThat(registry.find("a3")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void listingFiltersAndPaginatesInStableOrder(Kind kind) {
        open(kind);
        registry.register(human("alice"), "t");
        registry.register(human("bob"), "t");
        for (int i = 0; i < 7; i++) registry.register(agent("agent-" + i, i % 2 == 0 ? "alice" : "bob"), "t");
        registry.register(workload("deployer", "alice"), "t");
        registry.suspend("agent-3", "investigating", "t");

        assertThat(ids(registry.list(query(IdentityKind.AGENT, null, null, null, 100)).items()))
                .containsExactly("agent-0", "agent-1", "agent-2", "agent-3", "agent-4", "agent-5", "agent-6");
        assertThat(ids(registry.list(query(null, "alice", null, null, 100)).items()))
                .containsExactly("agent-0", "agent-2", "agent-4", "agent-6", "deployer");
        assertThat(ids(registry.list(query(null, null, IdentityStatus.SUSPENDED, null, 100)).items())).containsExactly("agent-3");
        assertThat(ids(registry.list(new IdentityQuery(null, null, null, "team:sec", null, null, null, 100)).items())).hasSize(7);

        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page<Identity> page = registry.list(query(null, null, null, after, 3));
            assertThat(page.items().size()).isLessThanOrEqualTo(3);
            paged.addAll(ids(page.items()));
            after = page.next();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(4);
        assertThat(paged).containsExactly("agent-0", "agent-1", "agent-2", "agent-3", "agent-4", "agent-5", "agent-6", "alice", "bob", "deployer");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void lifecycleIsRecordedWithWhoWhenAndWhy(Kind kind) {
        open(kind);
        registry.register(human("alice"), "admin-token:a");
        registry.register(agent("bot", "alice"), "admin-token:a");
        registry.suspend("bot", "suspicious calls", "admin-token:a");
        assertThatThrownBy(() -> registry.suspend("bot", "again", "admin-token:a")).isInstanceOf(Problem.Conflict.class);
        registry.reactivate("bot", "cleared", "admin-token:b");
        assertThatThrownBy(() -> registry.retire("bot", " ", "x")).isInstanceOf(Problem.Invalid.class).hasMessageContaining("reason");
        Identity retired = registry.retire("bot", "project ended", "admin-token:b");
        assertThat(retired.status()).isEqualTo(IdentityStatus.RETIRED);
        assertThatThrownBy(() -> registry.reactivate("bot", "oops", "x")).isInstanceOf(Problem.Conflict.class);

        List<LifecycleEvent> history = registry.history("bot");
        assertThat(history).extracting(LifecycleEvent::action).containsExactly("create", "suspend", "reactivate", "retire");
        assertThat(history).extracting(LifecycleEvent::reason).containsExactly(null, "suspicious calls", "cleared", "project ended");
        assertThat(history).extracting(LifecycleEvent::actor).containsExactly("admin-token:a", "admin-token:a", "admin-token:b", "admin-token:b");
        assertThat(history).allSatisfy(e -> assertThat(e.at()).isNotNull());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void retiringAHumanOrphansWhatItOwnsUntilReassigned(Kind kind) {
        open(kind);
        registry.register(human("alice"), "t");
        registry.register(human("carol"), "t");
        registry.register(agent("bot", "alice"), "t");
        registry.register(workload("deployer", "alice"), "t");
        registry.retire("alice", "left the company", "t");

        assertThat(registry.get("bot").orphaned()).isTrue();
        assertThat(registry.get("deployer").orphaned()).isTrue();
        assertThat(registry.get("carol").orphaned()).isFalse();
        assertThat(registry.history("bot")).extracting(LifecycleEvent::action).contains("orphaned");

        Identity reassigned = registry.reassign("bot", "carol", "carol takes over triage", "t");
        assertThat(reassigned.owner()).isEqualTo("carol");
        assertThat(reassigned.orphaned()).isFalse();
        assertThat(registry.get("deployer").orphaned()).isTrue();
        assertThatThrownBy(() -> registry.reassign("deployer", "bot", "r", "t")).hasMessageContaining("not a human");
        assertThatThrownBy(() -> registry.reassign("carol", "alice", "r", "t")).isInstanceOf(Problem.Invalid.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void groupsNestWithoutCycles(Kind kind) {
        open(kind);
        registry.createGroup(new GroupSpec("eng", "Engineering", List.of()), "t");
        registry.createGroup(new GroupSpec("platform", "Platform", List.of("eng")), "t");
        registry.createGroup(new GroupSpec("sre", "SRE", List.of("platform")), "t");
        assertThatThrownBy(() -> registry.updateGroup("eng", new GroupSpec(null, null, List.of("sre")), "t"))
                .isInstanceOf(Problem.Invalid.class).hasMessageContaining("cycle");
        registry.register(new IdentitySpec("alice", IdentityKind.HUMAN, "Alice", null, null, null, null, List.of("sre"), null, null, null,
                "alice@example.com", null), "t");
        assertThat(registry.groupClosure("alice")).containsExactly("sre", "platform", "eng");
        assertThat(registry.getGroup("sre").members()).containsExactly("alice");
        assertThatThrownBy(() -> registry.deleteGroup("sre", "t")).isInstanceOf(Problem.Conflict.class);
        assertThatThrownBy(() -> registry.deleteGroup("platform", "t")).isInstanceOf(Problem.Conflict.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void toolServersKeepTheirToolsAndClassifications(Kind kind) {
        open(kind);
        ToolServer created = registry.createToolServer(new ToolServerSpec("github", "GitHub", "https://mcp.example/github", null,
                Trust.APPROVED, Destination.EXTERNAL, List.of(new Tool("search_issues", null, Effect.READ, Risk.LOW, null, null),
                new Tool("merge_pr", null, null, null, null, null))), "t");
        // Tools are listed in name order.
        assertThat(created.tools()).extracting(Tool::name).containsExactly("merge_pr", "search_issues");
        Tool unclassified = created.tools().get(0);
        assertThat(unclassified.classified()).isFalse();
        assertThat(unclassified.effect()).isEqualTo(Effect.EXECUTE);
        assertThat(unclassified.risk()).isEqualTo(Risk.HIGH);
        assertThat(unclassified.destination()).isEqualTo(Destination.EXTERNAL);

        ToolServer classified = registry.classify("github", Feature.Kind.TOOL, "merge_pr", new Tool("merge_pr", null, Effect.WRITE, Risk.HIGH, null, null), "t");
        assertThat(classified.tools().get(0).classified()).isTrue();
        assertThat(classified.tools().get(0).effect()).isEqualTo(Effect.WRITE);
        assertThat(registry.getToolServer("github").version()).isEqualTo(2);

        registry.createToolServer(new ToolServerSpec("files", null, null, "filesystem", null, null, null), "t");
        assertThat(registry.getToolServer("files").stdio()).isEqualTo("filesystem");
        assertThat(registry.getToolServer("files").trust()).isEqualTo(Trust.UNAPPROVED);
        registry.deleteToolServer("files", "t");
        assertThat(registry.listToolServers()).extracting(ToolServer::id).containsExactly("github");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentVersionedUpdatesLoseNoWrite(Kind kind) throws Exception {
        open(kind);
        registry.register(human("alice"), "t");
        registry.register(agent("bot", "alice"), "t");
        int writers = 6;
        int tagsEach = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(pool.submit((Callable<Integer>) () -> {
                start.await();
                int conflicts = 0;
                for (int n = 0; n < tagsEach; n++) {
                    while (true) {
                        // Read-modify-write guarded by the version read: a concurrent change makes it fail, never vanish.
                        Identity current = registry.get("bot");
                        List<String> tags = new ArrayList<>(current.tags());
                        tags.add("w" + writer + "-" + n);
                        try {
                            registry.update("bot", new IdentityUpdate(null, null, null, tags, null, null, null, null, null, null,
                                    current.version()), "writer-" + writer);
                            break;
                        } catch (Problem.StaleVersion e) {
                            conflicts++;
                        }
                    }
                }
                return conflicts;
            }));
        }
        start.countDown();
        pool.shutdown();
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
            // Say where the writers are stuck (a lock, or retrying a stale read) rather than only that they are.
            Thread.getAllStackTraces().forEach((t, stack) -> {
                if (t.getName().startsWith("pool-")) System.err.println(t.getName() + " " + t.getState() + "\n  at "
                        + String.join("\n  at ", java.util.Arrays.stream(stack).limit(25).map(String::valueOf).toList()));
            });
            throw new AssertionError("writers did not finish in 2 minutes (stacks on stderr)");
        }
        for (Future<Integer> f : results) f.get();

        Identity bot = registry.get("bot");
        assertThat(bot.tags()).hasSize(1 + writers * tagsEach);
        for (int w = 0; w < writers; w++) for (int n = 0; n < tagsEach; n++) assertThat(bot.tags()).contains("w" + w + "-" + n);
        assertThat(bot.version()).isEqualTo(1 + writers * tagsEach);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentLifecycleTransitionsSucceedExactlyOnce(Kind kind) throws Exception {
        open(kind);
        registry.register(human("alice"), "t");
        registry.register(agent("bot", "alice"), "t");
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int r = 0; r < racers; r++) {
            int racer = r;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    registry.suspend("bot", "racer " + racer, "t");
                    return true;
                } catch (Problem.Conflict | Problem.StaleVersion e) {
                    return false;
                }
            }));
        }
        start.countDown();
        pool.shutdown();
        int won = 0;
        for (Future<Boolean> f : results) if (f.get(2, TimeUnit.MINUTES)) won++;
        assertThat(won).isEqualTo(1);
        assertThat(registry.history("bot")).filteredOn(e -> e.action().equals("suspend")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void inventoryApplyIsIdempotentAndAllOrNothing(Kind kind) {
        open(kind);
        InventoryDocument doc = new InventoryDocument(
                List.of(new GroupSpec("sre", "SRE", List.of("platform")), new GroupSpec("platform", "Platform", List.of())),
                List.of(agent("bot", "alice"), human("alice")),
                List.of(new ToolServerSpec("github", null, "https://mcp.example/github", null, Trust.APPROVED, null,
                        List.of(new Tool("search", null, Effect.READ, Risk.LOW, null, null)))));
        InventoryPlan dry = inventory.apply(doc, true, "t");
        assertThat(dry.changed()).isTrue();
        assertThat(registry.find("alice")).isEmpty();

        InventoryPlan first = inventory.apply(doc, false, "t");
        assertThat(first.changes()).extracting(InventoryPlan.Change::id).containsExactly("platform", "sre", "alice", "bot", "github");
        assertThat(first.changes()).allSatisfy(c -> assertThat(c.action()).isEqualTo(InventoryPlan.Action.CREATE));
        assertThat(inventory.apply(doc, false, "t").changed()).isFalse();
        assertThat(inventory.apply(inventory.export(), false, "t").changed()).isFalse();

        // A change plus a bad entry: the whole apply fails and the good change is not kept.
        IdentitySpec renamed = new IdentitySpec("alice", IdentityKind.HUMAN, "Alice Renamed", null, null, null, null, null, null, null, null,
                "alice@example.com", null);
        InventoryDocument bad = new InventoryDocument(List.of(), List.of(renamed, agent("orphan", "nobody")), List.of());
        assertThatThrownBy(() -> inventory.apply(bad, false, "t"))
                .isInstanceOf(Problem.Invalid.class)
                .satisfies(e -> assertThat(((Problem) e).field()).isEqualTo("identities[1].owner"));
        assertThat(registry.get("alice").displayName()).isEqualTo("Human alice");
        assertThat(registry.find("orphan")).isEmpty();

        InventoryPlan rename = inventory.apply(new InventoryDocument(null, List.of(renamed), null), false, "t");
        assertThat(rename.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(InventoryPlan.Action.UPDATE);
            assertThat(c.fields()).containsExactly("displayName");
        });
    }

    private static IdentityQuery query(IdentityKind kind, String owner, IdentityStatus status, String after, int limit) {
        return new IdentityQuery(kind, owner, status, null, null, null, after, limit);
    }

    private static List<String> ids(List<Identity> identities) {
        return identities.stream().map(Identity::id).toList();
    }
}
