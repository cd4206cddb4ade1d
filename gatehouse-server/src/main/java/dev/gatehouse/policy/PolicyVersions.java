package dev.gatehouse.policy;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Policy-as-code lifecycle: immutable versions pushed from a directory of {@code .cedar} files
 * (validated first; an invalid directory stores nothing), one active version, an optional
 * shadow candidate, activation history for rollback, and diffs between versions.
 */
public final class PolicyVersions {
    /** What a push does with the new version besides storing it. */
    public enum PushMode { ACTIVATE, SHADOW, STORE_ONLY }

    /** A version ready to evaluate. */
    public record Loaded(long version, PolicyEngine.Compiled policies) {
        public String id() { return Long.toString(version); }
    }

    /** What decides right now, read once per decision so every node follows activations at once. */
    public record Snapshot(Optional<Loaded> active, Optional<Loaded> shadow) {}

    public record VersionDetail(PolicyVersion version, Map<String, String> files, List<String> policyIds) {}

    private static final int MAX_COMPILED = 16;

    private final Transactions tx;
    private final PolicyRepository repo;
    private final PolicyEngine engine;
    private final Clock clock;
    private final AuditLog audit;
    // Versions are immutable, so a compiled version never needs invalidation.
    private final Map<Long, PolicyEngine.Compiled> compiled = new ConcurrentHashMap<>();
    /** Which versions are active and in shadow, in memory: decisions never read the store for it. */
    private volatile PolicyRepository.State state;

    /** Change feed topic of activations, rollbacks and shadow changes (and application entities: {@link ApplicationEntities}). */
    static final String CHANGE_TOPIC = "policy_state";

    private final ChangeFeed changes;

    /** @param changes tells the other nodes of a cluster which versions decide, and this one what they did */
    public PolicyVersions(Transactions tx, PolicyEngine engine, Clock clock, AuditLog audit, ChangeFeed changes) {
        this.tx = tx;
        this.audit = audit;
        this.repo = new PolicyRepository(tx);
        this.engine = engine;
        this.clock = clock;
        this.state = tx.inTransaction(repo::state);
        this.changes = changes;
        changes.subscribe(CHANGE_TOPIC, ChangeFeed.Listener.of(key -> reloadState(), this::reloadState));
    }

    /** Which versions are active or in shadow changed (here after the commit, or on another node): re-read it. */
    private void reloadState() {
        PolicyRepository.State next = tx.inTransaction(repo::state);
        try {
            // Compiled before it decides: no request pays for compiling a version another node activated.
            if (next.active() != null) load(next.active());
            if (next.shadow() != null) load(next.shadow());
        } finally {
            state = next; // even if it does not compile here: decisions then fail (closed) instead of using the old version
        }
    }

    /** Every change of the active or shadow version goes through here: the in-memory state follows its commit. */
    private void setState(Long active, Long shadow, String actor, Instant now) {
        repo.setState(active, shadow, actor, now);
        changes.publish(CHANGE_TOPIC, "state");
        tx.afterCommit(this::reloadState);
    }

    PolicyRepository repository() { return repo; }

    public PolicyEngine engine() { return engine; }

    /** The schema of the generated vocabulary plus the active version's application fragments. */
    public String schema() {
        return current().active().map(l -> l.policies().schemaText()).orElse(engine.schema(null));
    }

    public List<PolicyError> validate(PolicyBundle bundle) { return engine.validate(bundle); }

    /**
     * How a push relates to the active version. {@code addToActive}: the new version is the active
     * version's files plus the pushed ones (a pushed file replaces the active file of the same path), so an
     * application's policies live beside the guardrails. {@code dropRules}: activating may remove rules
     * that are active now; without it such a push is refused, so guardrails never vanish by accident.
     */
    public record Composition(boolean addToActive, boolean dropRules) {
        public static final Composition STRICT = new Composition(false, false);
        public static final Composition REPLACE = new Composition(false, true);
    }

    /** Pushes {@code bundle} as it is; activating it must not drop active rules ({@link Composition#STRICT}). */
    public PolicyVersion push(PolicyBundle bundle, String message, PushMode mode, String actor) {
        return push(bundle, message, mode, actor, Composition.STRICT);
    }

    public PolicyVersion push(PolicyBundle bundle, String message, PushMode mode, String actor, Composition composition) {
        return push(bundle, message, mode, actor, composition, false).orElseThrow();
    }

    /**
     * Pushes and activates {@code bundle} only when no version was ever stored (first start of
     * {@code gatehouse serve}); the check and the insert share one locked transaction, so two
     * nodes starting together seed once.
     */
    public Optional<PolicyVersion> seedIfEmpty(PolicyBundle bundle, String message, String actor) {
        return push(bundle, message, PushMode.ACTIVATE, actor, Composition.STRICT, true);
    }

    private Optional<PolicyVersion> push(PolicyBundle pushed, String message, PushMode mode, String actor, Composition composition,
                                         boolean onlyIfEmpty) {
        if (message != null && message.length() > 2000) throw new Problem.Invalid("message", "message is longer than 2000 characters");
        Long base = composition.addToActive() ? tx.inTransaction(() -> repo.state().active()) : null;
        PolicyBundle bundle = base == null ? pushed : added(tx.inTransaction(() -> repo.files(base)), pushed);
        PolicyEngine.Compiled policies = engine.compile(bundle); // throws before anything is written
        Long number = tx.inTransaction(() -> {
            PolicyRepository.State state = repo.lockState();
            long n = repo.nextVersionNumber();
            if (onlyIfEmpty && n != 1) return null;
            if (composition.addToActive() && !Objects.equals(base, state.active())) {
                throw new Problem.Conflict("the active policy version changed while this push was prepared; push again", "files");
            }
            if (mode == PushMode.ACTIVATE && !composition.dropRules() && state.active() != null) {
                refuseDroppedRules(load(state.active()), policies);
            }
            Instant now = clock.instant();
            repo.insertVersion(n, actor, message == null ? "" : message, now, bundle.contentHash(),
                    policies.policyIds().size(), bundle.files());
            switch (mode) {
                case ACTIVATE -> {
                    setState(n, state.shadow(), actor, now);
                    repo.recordActivation("activate", n, actor, now);
                }
                case SHADOW -> {
                    setState(state.active(), n, actor, now);
                    repo.recordActivation("shadow", n, actor, now);
                }
                case STORE_ONLY -> { }
            }
            audited("policy.push", actor, n, Map.of("mode", mode.name().toLowerCase(java.util.Locale.ROOT),
                    "contentHash", bundle.contentHash(), "policies", policies.policyIds().size(), "files", bundle.files().size()));
            return n;
        });
        if (number == null) return Optional.empty();
        compiled.put(number, policies);
        return Optional.of(get(number));
    }

    /** The active version's files with the pushed ones added; a pushed file replaces the active file of the same path. */
    private static PolicyBundle added(Map<String, String> active, PolicyBundle pushed) {
        Map<String, String> files = new TreeMap<>(active);
        files.putAll(pushed.files());
        return new PolicyBundle(files);
    }

    private static void refuseDroppedRules(PolicyEngine.Compiled active, PolicyEngine.Compiled next) {
        List<String> dropped = new ArrayList<>(active.policyIds());
        dropped.removeAll(next.policyIds());
        if (dropped.isEmpty()) return;
        String named = String.join(", ", dropped.subList(0, Math.min(5, dropped.size()))) + (dropped.size() > 5 ? ", …" : "");
        throw new Problem.Conflict("activating this push would drop " + dropped.size() + " active rule" + (dropped.size() == 1 ? "" : "s")
                + " (" + named + "): push with --add to keep the active rules beside these files, or --replace to drop them", "files");
    }

    /** Policy changes are privileged events, recorded in the changing transaction. */
    private void audited(String type, String actor, long version, Map<String, Object> detail) {
        audit.record(AuditEvent.of(type, AuditEvent.Category.PRIVILEGED, "success", actor)
                .withPolicy(List.of(), Long.toString(version)).withDetail(detail));
    }

    void auditEntities(String actor, int count, boolean replace) {
        audit.record(AuditEvent.of("policy.entities.apply", AuditEvent.Category.PRIVILEGED, "success", actor)
                .withDetail(Map.of("entities", count, "replace", replace)));
    }

    public List<PolicyVersion> versions() {
        return tx.inTransaction(() -> repo.versions(repo.state()));
    }

    public PolicyVersion get(long number) {
        return tx.inTransaction(() -> repo.version(number, repo.state()))
                .orElseThrow(() -> new Problem.NotFound("policy version " + number + " not found"));
    }

    public VersionDetail show(long number) {
        PolicyVersion v = get(number);
        Map<String, String> files = tx.inTransaction(() -> repo.files(number));
        return new VersionDetail(v, files, load(number).policyIds());
    }

    public PolicyVersion activate(long number, String actor) {
        get(number);
        tx.inTransaction(() -> {
            PolicyRepository.State state = repo.lockState();
            Instant now = clock.instant();
            // A version cannot shadow itself: activating the candidate ends its shadow run.
            setState(number, Long.valueOf(number).equals(state.shadow()) ? null : state.shadow(), actor, now);
            repo.recordActivation("activate", number, actor, now);
            audited("policy.activate", actor, number, Map.of("previous", state.active() == null ? "" : state.active().toString()));
            return null;
        });
        return get(number);
    }

    /** Re-activates the version that was active before the current one. */
    public PolicyVersion rollback(String actor) {
        long target = tx.inTransaction(() -> {
            PolicyRepository.State state = repo.lockState();
            if (state.active() == null) throw new Problem.Conflict("no policy version is active; nothing to roll back", null);
            Long previous = null;
            for (Long v : repo.activationHistory()) {
                if (v != null && !v.equals(state.active())) {
                    previous = v;
                    break;
                }
            }
            if (previous == null) throw new Problem.Conflict("version " + state.active() + " is the only version ever activated", null);
            Instant now = clock.instant();
            setState(previous, Long.valueOf(previous).equals(state.shadow()) ? null : state.shadow(), actor, now);
            repo.recordActivation("rollback", previous, actor, now);
            audited("policy.rollback", actor, previous, Map.of("previous", state.active().toString()));
            return previous;
        });
        return get(target);
    }

    public PolicyVersion startShadow(long number, String actor) {
        get(number);
        tx.inTransaction(() -> {
            PolicyRepository.State state = repo.lockState();
            if (Long.valueOf(number).equals(state.active())) {
                throw new Problem.Conflict("version " + number + " is the active version; shadow a candidate instead", "version");
            }
            Instant now = clock.instant();
            setState(state.active(), number, actor, now);
            repo.recordActivation("shadow", number, actor, now);
            audited("policy.shadow.start", actor, number, Map.of());
            return null;
        });
        return get(number);
    }

    public void stopShadow(String actor) {
        tx.inTransaction(() -> {
            PolicyRepository.State state = repo.lockState();
            Instant now = clock.instant();
            setState(state.active(), null, actor, now);
            repo.recordActivation("unshadow", state.shadow(), actor, now);
            if (state.shadow() != null) audited("policy.shadow.stop", actor, state.shadow(), Map.of());
            return null;
        });
    }

    public List<ShadowDisagreement> disagreements(Long shadowVersion, int limit) {
        if (limit < 1 || limit > 1000) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        return tx.inTransaction(() -> repo.disagreements(shadowVersion, limit));
    }

    void recordDisagreement(Instant at, long active, long shadow, String digest, String principal, String action, String resource,
                            String activeDecision, String shadowDecision, List<String> activePolicies, List<String> shadowPolicies) {
        tx.inTransaction(() -> {
            repo.insertDisagreement(at, active, shadow, digest, principal, action, resource, activeDecision, shadowDecision,
                    activePolicies, shadowPolicies);
            return null;
        });
    }

    public long disagreementCount(long shadowVersion) {
        return tx.inTransaction(() -> repo.countDisagreements(shadowVersion));
    }

    public Snapshot current() {
        PolicyRepository.State state = this.state;
        // Keep recent versions compiled (rollback and re-activation are instant); beyond a few, keep only what decides.
        if (compiled.size() > MAX_COMPILED) {
            compiled.keySet().removeIf(v -> !v.equals(state.active()) && !v.equals(state.shadow()));
        }
        return new Snapshot(Optional.ofNullable(state.active()).map(v -> new Loaded(v, load(v))),
                Optional.ofNullable(state.shadow()).map(v -> new Loaded(v, load(v))));
    }

    private PolicyEngine.Compiled load(long number) {
        PolicyEngine.Compiled c = compiled.get(number);
        if (c != null) return c;
        Map<String, String> files = tx.inTransaction(() -> repo.files(number));
        if (files.isEmpty()) throw new Problem.NotFound("policy version " + number + " not found");
        // Stored versions were valid when pushed; compile() fails loudly if the engine now disagrees.
        c = engine.compile(new PolicyBundle(files));
        compiled.put(number, c);
        return c;
    }

    /** A line diff of two versions, file by file ({@code ---}/{@code +++} headers, {@code -}/{@code +}/space lines). */
    public String diff(long from, long to) {
        get(from);
        get(to);
        Map<String, String> a = tx.inTransaction(() -> repo.files(from));
        Map<String, String> b = tx.inTransaction(() -> repo.files(to));
        StringBuilder out = new StringBuilder();
        for (String path : new TreeSet<>(union(a.keySet(), b.keySet()))) {
            String left = a.get(path);
            String right = b.get(path);
            if (left != null && left.equals(right)) continue;
            out.append("--- ").append(left == null ? "/dev/null" : "v" + from + "/" + path).append('\n');
            out.append("+++ ").append(right == null ? "/dev/null" : "v" + to + "/" + path).append('\n');
            LineDiff.append(out, left == null ? List.of() : lines(left), right == null ? List.of() : lines(right));
        }
        return out.toString();
    }

    private static List<String> union(java.util.Set<String> x, java.util.Set<String> y) {
        List<String> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }

    private static List<String> lines(String s) {
        return List.of(s.split("\n", -1));
    }
}
