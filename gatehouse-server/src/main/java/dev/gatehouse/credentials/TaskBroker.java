package dev.gatehouse.credentials;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DecisionRequest;
import dev.gatehouse.policy.DecisionRequest.EntityRef;
import dev.gatehouse.policy.DecisionService;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.IdentityQuery;
import dev.gatehouse.registry.RegistryChange;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.UseCase;
import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.store.ChangeFeed;
import dev.gatehouse.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tasks and their tokens: issuance (client credentials), delegation (token exchange), the live
 * check every enforcement point makes, and revocation. A token is live only while its signature,
 * time window, own revocation state, task, and every identity of its delegation chain (and their
 * owners) are all in good standing, checked against the store on each request, so a revocation
 * or a suspension takes effect on the very next one, on every node.
 */
public final class TaskBroker implements TaskService, TokenService {
    public static final String TOKEN_TYPE = "at+jwt"; // RFC 9068 access token
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final int MAX_INTENT = 2000;

    private final Transactions tx;
    private final TaskRepository repo;
    private final CredentialRepository credentialRepo;
    private final LiveTokens live = new LiveTokens();
    private final RegistryService registry;
    private final Signer signer;
    /** Decisions asked per scope pattern at issuance, so a broad pattern over a large catalogue stays cheap. */
    private static final int MAX_POLICY_PROBES = 25;
    private final DecisionService decisions;
    private final AuditLog audit;
    private final Clock clock;
    private final Secrets secrets;
    private final BrokerSettings settings;
    /** Change feed topic of writes that can end tokens: every node's live check forgets what it read. */
    static final String CHANGE_TOPIC = "live_tokens";
    private final ChangeFeed changes;

    public TaskBroker(Transactions tx, RegistryService registry, Signer signer, DecisionService decisions, AuditLog audit,
                      Clock clock, Secrets secrets, BrokerSettings settings, ChangeFeed changes) {
        this.tx = tx;
        this.repo = new TaskRepository(tx);
        this.credentialRepo = new CredentialRepository(tx);
        this.changes = changes;
        this.repo.onTokensEnded(this::tokensEnding);
        changes.subscribe(CHANGE_TOPIC, ChangeFeed.Listener.of(key -> live.changed(), live::changed));
        this.registry = registry;
        this.signer = signer;
        this.decisions = decisions;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
        this.settings = settings;
    }

    // --- issuance

    @Override
    public IssuedToken clientCredentials(AuthenticatedClient client, String intent, String scope, String ttl, String useCase) {
        String why = intent(intent);
        Duration lifetime = lifetime(ttl);
        Contract contract = contract(client.identity(), useCase, scope);
        return tx.inTransaction(() -> {
            Identity identity = inGoodStanding(client.identity().id());
            Scope declared = identity.scope();
            if (declared == null || Scopes.isEmpty(declared)) {
                throw OAuthException.invalidScope("this identity has no declared scope to grant from");
            }
            // A task of a use case is cut from the use case, never from the whole declared scope.
            Scope granted = Scopes.narrow(scope, contract.useCase() == null ? declared : contract.useCase().scope());
            if (Scopes.isEmpty(granted)) throw OAuthException.invalidScope("the requested scope is empty");
            String taskId = secrets.newId("task_");
            granted = permittedByPolicy(identity, granted, taskId, why, scope == null || scope.isBlank(), client.binding());
            if (Scopes.isEmpty(granted)) throw OAuthException.invalidScope("policy permits nothing of this identity's declared scope");
            Instant now = issueTime();
            UseCase u = contract.useCase();
            CredentialBinding auth = client.binding();
            Task task = new Task(taskId, identity.id(), identity.kind().wire(), identity.owner(), why, granted,
                    "active", client.attested(), now, now.plus(lifetime), null, null, null, u == null ? null : u.name(),
                    u == null ? 3 : u.dataCeiling().level(), u == null ? Task.ANY_DESTINATION : u.destinations(),
                    auth == null ? null : auth.method(), auth == null ? null : auth.issuer());
            repo.insertTask(task, client.credentialId());
            Minted minted = mint(task, identity, List.of(identity.id()), granted, null, now, task.expiresAt(), bound(List.of(), client));
            registry.touch(identity.id(), now);
            audit.record(AuditEvent.of("token.issued", AuditEvent.Category.PRIVILEGED, "success", "identity:" + identity.id())
                    .withSubject(identity.id(), identity.kind().wire(), identity.owner())
                    .withTask(task.id(), minted.jti())
                    .withAction("client_credentials", null)
                    .withDetail(issuedDetail(granted, client, task)));
            return new IssuedToken(minted.jwt(), "Bearer", lifetime.toSeconds(), Scopes.format(granted), task.id(), null);
        });
    }

    /** The use case a token request opens a task for (null use case: the identity declares none). */
    private record Contract(UseCase useCase) {}

    /**
     * Resolves {@code use_case}: required when the identity declares several, defaulting to its only one.
     * A request outside the use case's contract (an unknown use case, or a scope beyond it) is refused
     * and recorded as {@code contract.drift}, for the owner and the security team to see.
     */
    private Contract contract(Identity identity, String requested, String scope) {
        Scope declared = identity.scope();
        if (declared == null || declared.useCases() == null) {
            if (requested != null && !requested.isBlank()) {
                throw OAuthException.invalidRequest("use_case: identity " + identity.id() + " declares no use cases");
            }
            return new Contract(null);
        }
        String name = requested == null || requested.isBlank() ? null : requested.strip();
        Optional<UseCase> u = declared.useCase(name);
        if (u.isEmpty()) {
            if (name == null) throw OAuthException.invalidRequest("use_case is required: this identity declares several use cases");
            drift(identity, name, "unknown use case", scope);
            throw OAuthException.invalidScope("no use case '" + name + "' is declared for this identity");
        }
        try {
            Scopes.narrow(scope, u.get().scope());
        } catch (OAuthException e) {
            drift(identity, u.get().name(), "scope beyond the use case", scope);
            throw e;
        }
        return new Contract(u.get());
    }

    private void drift(Identity identity, String useCase, String what, String scope) {
        audit.record(AuditEvent.of("contract.drift", AuditEvent.Category.PRIVILEGED, "deny", "identity:" + identity.id())
                .withSubject(identity.id(), identity.kind().wire(), identity.owner())
                .withAction("client_credentials", null).withReason(what)
                .withDetail(Map.of("useCase", useCase, "requestedScope", scope == null ? "" : scope)));
    }

    private static Map<String, Object> issuedDetail(Scope granted, AuthenticatedClient client, Task task) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("scope", Scopes.format(granted));
        detail.put("method", client.method());
        detail.put("expiresAt", task.expiresAt().toString());
        detail.put("attested", client.attested());
        if (client.client() != null) detail.put("client", client.client()); // the software that asked: a person's tool or a deployment
        if (task.useCase() != null) detail.put("useCase", task.useCase());
        return detail;
    }

    /**
     * The scope must be permitted by policy, not only declared. A tool pattern that covers registered
     * tools must cover at least one the identity's policy would let it use (allow, or hold for
     * approval) with a granted effect: asked for explicitly, such a pattern is {@code invalid_scope};
     * taken implicitly from the declared scope, it is left out of the grant. Patterns covering no
     * registered tool yet are kept: tools discovered later are decided call by call at the gateway.
     */
    private Scope permittedByPolicy(Identity identity, Scope granted, String taskId, String intent, boolean implicit,
                                    CredentialBinding authentication) {
        // Asked as the task's calls will be: with how the identity authenticated.
        Map<String, Object> auth = Map.of("method", authentication == null || authentication.method() == null ? "" : authentication.method(),
                "issuer", authentication == null || authentication.issuer() == null ? "" : authentication.issuer());
        List<String> items = List.copyOf(Scopes.items(granted));
        List<ToolServer> servers = registry.listToolServers();
        List<String> kept = new ArrayList<>();
        for (String pattern : granted.tools()) {
            boolean covered = false;
            boolean permitted = false;
            int asked = 0;
            for (ToolServer server : servers) {
                for (Feature feature : server.features()) {
                    // Quarantined features are never usable: they neither justify a pattern nor count against it.
                    if (feature.quarantine() != Feature.Quarantine.NONE) continue;
                    if (!Scopes.covers(pattern, feature.scopeId(server.id())) || !granted.effects().contains(feature.effect())) continue;
                    covered = true;
                    if (permitted || asked >= MAX_POLICY_PROBES) continue;
                    asked++;
                    Decision d = decisions.decide(new DecisionRequest(EntityRef.of(identity.kind().wire(), identity.id()),
                            feature.effect().wire(), EntityRef.of(feature.kind().wire(), feature.cedarId(server.id())),
                            Map.of("task", Map.of("id", taskId, "intent", intent, "scope", items), "authentication", auth)),
                            DecisionService.Purpose.SCOPE_CHECK);
                    // A refusal that hangs on a call's facts (its arguments, data…) is for the gateway to make, call by call.
                    permitted = !(d instanceof Decision.Deny deny) || deny.dependsOnCall();
                }
            }
            if (!covered || permitted) {
                kept.add(pattern);
            } else if (!implicit) {
                throw OAuthException.invalidScope("policy permits none of the tools '" + pattern + "' covers for this identity");
            }
        }
        return new Scope(kept, granted.effects());
    }

    @Override
    public IssuedToken exchange(AuthenticatedClient actor, String subjectToken, String actorToken, String scope, String ttl) {
        Duration lifetime = lifetime(ttl);
        TokenStatus subjectStatus = check(subjectToken);
        if (!(subjectStatus instanceof TokenStatus.Active active)) {
            throw OAuthException.invalidGrant("subject_token " + ((TokenStatus.Inactive) subjectStatus).reason());
        }
        VerifiedToken subject = active.token();
        if (actorToken != null) {
            // The actor token proves the actor's own current authority; it must be the authenticated actor's.
            if (!(check(actorToken) instanceof TokenStatus.Active a) || !a.token().holder().equals(actor.identity().id())) {
                throw OAuthException.invalidGrant("actor_token is not a live token of the authenticated actor");
            }
        }
        return tx.inTransaction(() -> {
            Identity to = inGoodStanding(actor.identity().id());
            if (subject.chain().contains(to.id())) {
                throw OAuthException.invalidGrant("actor is already in the delegation chain");
            }
            List<String> chain = new ArrayList<>(subject.chain());
            chain.add(to.id());
            int depth = chain.size() - 1;
            if (depth > settings.maxDelegationDepth()) {
                throw OAuthException.invalidGrant("delegation depth " + depth + " exceeds the maximum " + settings.maxDelegationDepth());
            }
            Scope declared = to.scope() == null ? new Scope(List.of(), null) : to.scope();
            // Never more than the delegator holds, nor more than the actor may ever have.
            Scope bound = Scopes.intersect(subject.scope(), declared);
            Scope granted = Scopes.narrow(scope, bound);
            if (Scopes.isEmpty(granted)) throw OAuthException.invalidScope("nothing of the subject token's scope may be delegated to this actor");
            Task task = repo.task(subject.taskId(), clock.instant(), false).orElseThrow();
            Identity from = registry.get(subject.holder());
            Decision decision = decisions.decide(new DecisionRequest(EntityRef.of(from.kind().wire(), from.id()), "delegate",
                    EntityRef.of(to.kind().wire(), to.id()), Map.of(
                    "task", Map.of("id", task.id(), "intent", task.intent(), "scope", List.copyOf(Scopes.items(granted))),
                    "delegation", Map.of("depth", (long) depth, "chain", List.copyOf(chain),
                            "onBehalfOf", Optional.ofNullable(registry.get(task.identity()).actsOnBehalfOf()).orElse("")))),
                    DecisionService.Purpose.DELEGATION);
            if (!(decision instanceof Decision.Allow)) {
                throw new OAuthException("unauthorized_client", "delegation to this actor is not permitted",
                        "policy refused delegate (" + decision.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            Instant now = issueTime();
            Instant expires = min(now.plus(lifetime), min(task.expiresAt(), subject.expiresAt()));
            Identity taskIdentity = registry.get(task.identity());
            List<CredentialBinding> inherited = repo.token(subject.jti()).map(TaskRepository.TokenRow::credentials).orElse(List.of());
            Minted minted = mint(task, taskIdentity, chain, granted, subject.jti(), now, expires, bound(inherited, actor));
            registry.touch(to.id(), now);
            audit.record(AuditEvent.of("token.exchanged", AuditEvent.Category.PRIVILEGED, "success", "identity:" + to.id())
                    .withSubject(taskIdentity.id(), taskIdentity.kind().wire(), taskIdentity.owner())
                    .withDelegation(task.owner(), chain)
                    .withTask(task.id(), minted.jti())
                    .withAction("delegate", to.id())
                    .withPolicy(decision.policies(), decision.policyVersion())
                    .withDetail(Map.of("scope", Scopes.format(granted), "parent", subject.jti(), "depth", depth)));
            return new IssuedToken(minted.jwt(), "Bearer", Math.max(0, Duration.between(now, expires).toSeconds()), Scopes.format(granted),
                    task.id(), ACCESS_TOKEN_TYPE);
        });
    }

    private record Minted(String jwt, String jti) {}

    /** Signs the access token and records it by jti. {@code chain}: task identity first, holder last. */
    /** The credentials a new token depends on: those of the token it derives from, and the one that just authenticated. */
    private static List<CredentialBinding> bound(List<CredentialBinding> inherited, AuthenticatedClient client) {
        List<CredentialBinding> out = new ArrayList<>(inherited);
        if (client.binding() != null && !out.contains(client.binding())) out.add(client.binding());
        return out;
    }

    private Minted mint(Task task, Identity subject, List<String> chain, Scope scope, String parentJti, Instant now, Instant expires,
                        List<CredentialBinding> credentials) {
        String jti = secrets.newSecret("");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", settings.issuer().get());
        claims.put("sub", settings.spiffeId(subject.kind().wire(), subject.id()));
        claims.put("aud", settings.audience());
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("jti", jti);
        claims.put("client_id", chain.get(chain.size() - 1));
        claims.put("task_id", task.id());
        claims.put("intent", task.intent());
        claims.put("scope", Scopes.format(scope));
        claims.put("kind", subject.kind().wire());
        claims.put("owner", subject.owner());
        claims.put("attested", task.attested());
        if (chain.size() > 1) claims.put("act", act(chain));
        String jwt = signer.sign(TOKEN_TYPE, Json.write(claims).getBytes(StandardCharsets.UTF_8));
        repo.insertToken(new TaskRepository.TokenRow(jti, task.id(), task.identity(), chain.get(chain.size() - 1), parentJti,
                chain, scope, now, expires, null, credentials), kidOf(jwt));
        return new Minted(jwt, jti);
    }

    /** RFC 8693 §4.1: the current actor at the top, each prior actor nested inside. */
    private Map<String, Object> act(List<String> chain) {
        Map<String, Object> act = null;
        for (int i = 1; i < chain.size(); i++) {
            Identity actor = registry.get(chain.get(i));
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("sub", settings.spiffeId(actor.kind().wire(), actor.id()));
            level.put("client_id", actor.id());
            if (act != null) level.put("act", act);
            act = level;
        }
        return act;
    }

    // --- the live check

    @Override
    public TokenStatus check(String accessToken) {
        if (accessToken == null || accessToken.length() > 16_384) return new TokenStatus.Inactive("malformed");
        Instant now = clock.instant();
        Map<String, Object> claims;
        Optional<LiveTokens.Verified> known = live.verified(accessToken, now);
        if (known.isPresent()) {
            claims = known.get().claims();
        } else {
            try {
                claims = Json.MAPPER.readValue(signer.verify(accessToken, TOKEN_TYPE), new TypeReference<Map<String, Object>>() {});
            } catch (Signer.InvalidSignature e) {
                return new TokenStatus.Inactive("signature");
            } catch (Exception e) {
                return new TokenStatus.Inactive("malformed");
            }
            if (claims.get("exp") instanceof Number exp) live.verified(accessToken, new LiveTokens.Verified(Map.copyOf(claims), exp.longValue()));
        }
        if (!settings.issuer().get().equals(claims.get("iss")) || !settings.audience().equals(claims.get("aud"))) {
            return new TokenStatus.Inactive("issuer or audience");
        }
        if (!(claims.get("exp") instanceof Number exp) || !Instant.ofEpochSecond(exp.longValue()).isAfter(now)) {
            return new TokenStatus.Inactive("expired");
        }
        if (claims.get("nbf") instanceof Number nbf && Instant.ofEpochSecond(nbf.longValue()).isAfter(now.plus(SKEW))) {
            return new TokenStatus.Inactive("not yet valid");
        }
        if (!(claims.get("jti") instanceof String jti)) return new TokenStatus.Inactive("malformed");
        Optional<LiveTokens.TokenAndTask> row = live.token(jti, () -> tx.inTransaction(() -> repo.token(jti)
                .flatMap(t -> repo.task(t.taskId(), now, false).map(task -> new LiveTokens.TokenAndTask(t, task)))));
        if (row.isEmpty()) return new TokenStatus.Inactive("unknown token");
        TaskRepository.TokenRow t = row.get().token();
        Task task = row.get().task();
        if (t.revokedAt() != null) return new TokenStatus.Inactive("revoked");
        if (!task.isActive() || !task.expiresAt().isAfter(now)) {
            return new TokenStatus.Inactive("task " + (task.isActive() ? "expired" : task.status()));
        }
        // Identities from the registry's snapshot: a suspension committed on this node is in it before its command returns.
        for (String id : t.chain()) {
            Optional<String> problem = standingProblem(id);
            if (problem.isPresent()) return new TokenStatus.Inactive(problem.get());
            // A declared scope narrowed since issuance narrows live tokens at once: no authority outlives its declaration.
            Scope declared = registry.get(id).scope();
            if (declared == null || !Scopes.within(t.scope(), declared)) return new TokenStatus.Inactive("scope no longer declared by " + id);
        }
        // The credential each hop authenticated with: revoked, expired or rotated out ends its tokens too.
        for (CredentialBinding binding : t.credentials()) {
            if (binding.id() == null) continue; // a federated subject mapped in configuration: nothing to revoke
            Optional<CredentialRepository.BindingState> state = live.credential(binding.id(),
                    () -> tx.inTransaction(() -> credentialRepo.bindingState(binding.id())));
            if (state.isEmpty()) return new TokenStatus.Inactive("credential removed");
            Optional<String> problem = state.get().problem(binding, now);
            if (problem.isPresent()) return new TokenStatus.Inactive(problem.get());
        }
        return new TokenStatus.Active(new VerifiedToken(t.jti(), t.taskId(), t.identity(), t.holder(), t.chain(), t.scope(),
                task.intent(), task.attested(), t.issuedAt(), t.expiresAt(), claims, task.useCase(), task.dataCeiling(),
                task.destinations(), t.credentials()));
    }

    /**
     * Called in a transaction that can end tokens (a revocation, a task ending, a credential rotated or revoked
     * by {@link DefaultCredentialService}): after its commit the live check re-reads tokens, tasks and
     * credentials, here at once and on the other nodes through the change feed.
     */
    public void tokensEnding() {
        changes.publish(CHANGE_TOPIC, "");
        tx.afterCommit(live::changed);
    }

    // --- revocation

    @Override
    public boolean revoke(String accessToken, String holder, String actor) {
        String jti;
        try {
            Map<String, Object> claims = Json.MAPPER.readValue(signer.verify(accessToken, TOKEN_TYPE), new TypeReference<Map<String, Object>>() {});
            jti = (String) claims.get("jti");
        } catch (Exception e) {
            return false; // not ours (or forged): nothing to revoke
        }
        return tx.inTransaction(() -> {
            Optional<TaskRepository.TokenRow> row = repo.token(jti);
            if (row.isEmpty()) return false;
            if (holder != null && !row.get().holder().equals(holder)) {
                throw new OAuthException("unauthorized_client", "the token was not issued to this client", "revoke: not the holder");
            }
            int n = repo.revokeTokenTree(jti, clock.instant(), actor, "revoked");
            if (n > 0) {
                audit.record(AuditEvent.of("token.revoked", AuditEvent.Category.PRIVILEGED, "success", actor)
                        .withSubject(row.get().identity(), null, null).withTask(row.get().taskId(), jti)
                        .withDelegation(null, row.get().chain()).withDetail(Map.of("count", n)));
            }
            return true;
        });
    }

    // --- tasks

    @Override
    public Task get(String id) {
        return tx.inTransaction(() -> repo.task(id, clock.instant(), false))
                .orElseThrow(() -> new Problem.NotFound("task '" + id + "' not found"));
    }

    @Override
    public List<Task> list(TaskQuery q) {
        int limit = q.limit() <= 0 ? 100 : q.limit();
        if (limit > 1000) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        if (q.status() != null && !List.of("active", "completed", "expired", "revoked").contains(q.status())) {
            throw new Problem.Invalid("status", "status must be one of active, completed, expired, revoked");
        }
        return tx.inTransaction(() -> repo.tasks(new TaskQuery(q.identity(), q.status(), limit), clock.instant()));
    }

    @Override
    public Task complete(String id, String reason, String actor) {
        String why = reason == null || reason.isBlank() ? "completed" : reason.strip();
        if (why.length() > 2000) throw new Problem.Invalid("reason", "reason is longer than 2000 characters");
        return tx.inTransaction(() -> {
            Instant now = clock.instant();
            Task task = repo.task(id, now, true).orElseThrow(() -> new Problem.NotFound("task '" + id + "' not found"));
            if (!task.isActive()) throw new Problem.Conflict("task '" + id + "' is already " + task.status(), "status");
            repo.endTask(id, "completed", now, actor, why);
            int tokens = repo.revokeTokensOfTask(id, now, actor, "task completed");
            audit.record(AuditEvent.of("task.completed", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(task.identity(), task.kind(), task.owner()).withTask(id, null).withReason(why)
                    .withDetail(Map.of("tokensRevoked", tokens)));
            return repo.task(id, now, false).orElseThrow();
        });
    }

    /**
     * Revocation on lifecycle changes, inside the registry's transaction: a suspended or retired
     * identity loses every task and token it holds or appears in; a suspended or retired human
     * takes down everything their workloads and agents hold (offboarding).
     */
    void onRegistryChange(RegistryChange change) {
        if (!change.action().equals("identity.suspend") && !change.action().equals("identity.retire")) return;
        Identity identity = change.identity();
        String actor = change.actor();
        String reason = "identity " + identity.id() + " " + identity.status().wire();
        revokeEverythingOf(identity.id(), actor, reason);
        if (!identity.kind().isNonHuman()) {
            for (String owned : ownedBy(identity.id())) revokeEverythingOf(owned, actor, "owner " + reason);
            Instant now = clock.instant();
            for (String taskId : repo.liveTasksOwnedBy(identity.id())) {
                // Tasks created before a reassignment still carry this owner: they go too.
                repo.endTask(taskId, "revoked", now, actor, "owner " + reason);
                repo.revokeTokensOfTask(taskId, now, actor, "owner " + reason);
            }
        }
    }

    /**
     * Admin revocation without a lifecycle change: everything the identity holds (tasks, tokens,
     * client credentials); for a human, everything their workloads and agents hold (offboarding).
     * Returns how many tasks, tokens and credentials were revoked.
     */
    Map<String, Integer> revokeAll(String identityId, String reason, String actor, DefaultCredentialService credentials) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why == null) throw new Problem.Invalid("reason", "reason is required");
        if (why.length() > 2000) throw new Problem.Invalid("reason", "reason is longer than 2000 characters");
        return tx.inTransaction(() -> {
            Identity identity = registry.get(identityId);
            List<String> targets = identity.kind().isNonHuman() ? List.of(identity.id()) : ownedBy(identity.id());
            int[] counts = new int[3];
            for (String id : targets) {
                int[] n = revokeEverythingOf(id, actor, why);
                counts[0] += n[0];
                counts[1] += n[1];
                counts[2] += credentials.revokeAll(registry.get(id), actor);
            }
            if (!identity.kind().isNonHuman()) {
                Instant now = clock.instant();
                for (String taskId : repo.liveTasksOwnedBy(identity.id())) {
                    if (repo.endTask(taskId, "revoked", now, actor, why)) counts[0]++;
                    counts[1] += repo.revokeTokensOfTask(taskId, now, actor, why);
                }
            }
            return Map.of("tasks", counts[0], "tokens", counts[1], "credentials", counts[2]);
        });
    }

    private int[] revokeEverythingOf(String identityId, String actor, String reason) {
        Instant now = clock.instant();
        List<String> tasks = repo.revokeTasksOf(identityId, now, actor, reason);
        int tokens = 0;
        for (String t : tasks) tokens += repo.revokeTokensOfTask(t, now, actor, reason);
        tokens += repo.revokeTokensInvolving(identityId, now, actor, reason);
        if (!tasks.isEmpty() || tokens > 0) {
            audit.record(AuditEvent.of("task.revoked", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(identityId, null, null).withReason(reason)
                    .withDetail(Map.of("tasks", tasks.size(), "tokensRevoked", tokens)));
        }
        return new int[] {tasks.size(), tokens};
    }

    /** The identity as stored (for the revocation listener, inside the registry's transaction). */
    Identity identity(String id) { return registry.get(id); }

    /** Ids of the workloads and agents {@code human} owns. */
    List<String> ownedBy(String human) {
        List<String> out = new ArrayList<>();
        String after = null;
        do {
            var page = registry.list(new IdentityQuery(null, human, null, null, null, null, after, 1000));
            for (Identity i : page.items()) out.add(i.id());
            after = page.next();
        } while (after != null);
        return out;
    }

    // --- helpers

    /** The identity, if it may hold authority now: an active workload or agent whose owner (if any) is active. */
    private Identity inGoodStanding(String id) {
        Optional<String> problem = standingProblem(id);
        if (problem.isPresent()) throw OAuthException.invalidClient(problem.get());
        return registry.get(id);
    }

    private Optional<String> standingProblem(String id) {
        Optional<Identity> found = registry.find(id);
        if (found.isEmpty()) return Optional.of("identity " + id + " unknown");
        Identity i = found.get();
        if (!i.kind().isNonHuman()) return Optional.of("identity " + id + " is human");
        if (!i.isActive()) return Optional.of("identity " + id + " " + i.status().wire());
        if (i.orphaned()) return Optional.of("identity " + id + " orphaned");
        if (i.owner() != null) {
            Optional<Identity> owner = registry.find(i.owner());
            if (owner.isEmpty() || !owner.get().isActive()) return Optional.of("owner of " + id + " not active");
        }
        return Optional.empty();
    }

    private static String intent(String intent) {
        if (intent == null || intent.isBlank()) throw OAuthException.invalidRequest("task_intent is required (what this task is for)");
        String s = intent.strip();
        if (s.length() > MAX_INTENT) throw OAuthException.invalidRequest("task_intent is longer than " + MAX_INTENT + " characters");
        if (s.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) throw OAuthException.invalidRequest("task_intent contains control characters");
        return s;
    }

    /** Requested lifetime in seconds; default from configuration, capped at the configured maximum. */
    private Duration lifetime(String ttl) {
        if (ttl == null) return settings.defaultTtl();
        long seconds;
        try {
            seconds = Long.parseLong(ttl);
        } catch (NumberFormatException e) {
            throw OAuthException.invalidRequest("ttl must be a number of seconds");
        }
        if (seconds < 1) throw OAuthException.invalidRequest("ttl must be positive");
        Duration requested = Duration.ofSeconds(seconds);
        return requested.compareTo(settings.maxTtl()) > 0 ? settings.maxTtl() : requested;
    }

    /** Whole seconds, as in the JWT's iat/exp, so the task's deadline and its tokens' exp are the same instant. */
    private Instant issueTime() { return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); }

    private static Instant min(Instant a, Instant b) { return a.isBefore(b) ? a : b; }

    /** The signing key's id, kept with the token row so a key's tokens can be traced after rotation. */
    private static String kidOf(String jwt) {
        try {
            return Json.MAPPER.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0])).path("kid").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
