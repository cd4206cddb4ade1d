package dev.gatehouse.policy;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.core.Problem;
import dev.gatehouse.policy.DecisionRequest.EntityRef;
import dev.gatehouse.policy.EntityData.Uid;
import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision point. In order: hard guards (unknown, suspended or retired inventory principals
 * are denied before any policy runs), entity resolution from the inventory, context defaults and
 * enrichment, Cedar evaluation of the active version, fail-closed error handling, approval holds,
 * shadow evaluation of a candidate, and an audit record of every decision.
 */
public final class DefaultDecisionService implements DecisionService {
    private static final Logger log = LoggerFactory.getLogger(DefaultDecisionService.class);

    /** The annotation that turns a forbid into "needs approval". */
    public static final String APPROVAL = "approval";

    // Types of the vocabulary's context record: S string, L long, B bool, SS set of strings, EC effect counts.
    private static final Map<String, Map<String, String>> CONTEXT_TYPES = Map.of(
            "task", Map.of("id", "S", "intent", "S", "scope", "SS", "useCase", "S", "dataCeiling", "L", "destinations", "SS"),
            "delegation", Map.of("depth", "L", "chain", "SS", "onBehalfOf", "S"),
            "data", Map.of("classification", "S", "level", "L", "findings", "SS"),
            "result", Map.of("classification", "S", "level", "L", "findings", "SS"),
            "session", Map.of("taintLevel", "L", "identityTaintLevel", "L", "calls", "L", "effectCounts", "EC", "toolCalls", "L",
                    "identityCallsLastMinute", "L"),
            "approval", Map.of("granted", "B"),
            "authentication", Map.of("method", "S", "issuer", "S"),
            "breakglass", Map.of("scope", "SS", "ttlSeconds", "L", "ownerAllowed", "B"));
    private static final Set<String> ATTESTED_METHODS = Set.of("private_key_jwt", "federated");
    private static final Set<String> AUTHENTICATION_METHODS = Set.of("", "client_secret", "private_key_jwt", "federated");

    private final PolicyVersions versions;
    private final PolicyEngine engine;
    private final InventoryEntities inventory;
    private final ApplicationEntities applicationEntities;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter disagreements;

    public DefaultDecisionService(PolicyVersions versions, InventoryEntities inventory, ApplicationEntities applicationEntities,
                                  AuditLog audit, Clock clock, MeterRegistry meters) {
        this.versions = versions;
        this.engine = versions.engine();
        this.inventory = inventory;
        this.applicationEntities = applicationEntities;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
        this.disagreements = Counter.builder("gatehouse.policy.shadow.disagreements")
                .description("Decisions on which the shadow candidate disagreed with the active policy version")
                .register(meters);
    }

    @Override
    public Decision decide(DecisionRequest request) {
        return explain(request, "system").decision();
    }

    @Override
    public Decision evaluate(DecisionRequest request) {
        return explain(request, null).decision();
    }

    @Override
    public Decision decide(DecisionRequest request, Purpose purpose) {
        return explain(request, "system", purpose).decision();
    }

    /**
     * Decides and explains; {@code actor} is who asked (recorded in the audit event), or null when the
     * caller records the decision itself (no {@code policy.decision} record is written).
     */
    public Explanation explain(DecisionRequest request, String actor) {
        return explain(request, actor, Purpose.ENFORCE);
    }

    /** Decides and explains for {@code purpose} (recorded, when not plain enforcement, as {@code detail.purpose}). */
    public Explanation explain(DecisionRequest request, String actor, Purpose purpose) {
        checkShape(request);
        long started = System.nanoTime();
        Resolved resolved = null;
        Explanation explanation;
        try {
            resolved = resolve(request);
            explanation = resolved.guard != null
                    ? new Explanation(resolved.guard, List.of(), List.of(), resolved.guard.policyVersion(), 0, null)
                    : evaluate(request, resolved, started);
        } catch (Problem p) {
            throw p; // malformed input is the caller's error (400), never a decision
        } catch (RuntimeException e) {
            // Fail closed: whatever broke, the answer is deny, and operators hear about it.
            log.error("decision failed; denying", e);
            String version = resolved == null || resolved.snapshot == null ? null : resolved.snapshot.active().map(PolicyVersions.Loaded::id).orElse(null);
            Decision.Deny deny = new Decision.Deny("evaluation_error", List.of(), version, List.of(e.getClass().getSimpleName()));
            explanation = new Explanation(deny, List.of(), deny.errors(), version, micros(started), null);
        }
        meters.counter("gatehouse.policy.decisions", "outcome", explanation.outcome(),
                "reason", explanation.decision() instanceof Decision.Deny d ? d.reason() : "none").increment();
        if (actor != null) record(request, resolved, explanation, actor, purpose);
        return explanation;
    }

    // --- resolution

    private static final class Resolved {
        Decision.Deny guard;
        Identity principalIdentity;
        PolicyVersions.Snapshot snapshot;
        PolicyEngine.Request engineRequest;
    }

    private static void checkShape(DecisionRequest r) {
        if (r == null) throw new Problem.Invalid(null, "a decision request is required");
        checkRef(r.principal(), "subject");
        checkRef(r.resource(), "resource");
        if (r.action() == null || r.action().isBlank()) throw new Problem.Invalid("action.name", "action.name is required");
    }

    private static void checkRef(EntityRef ref, String field) {
        if (ref == null) throw new Problem.Invalid(field, field + " is required ({type, id})");
        if (ref.type() == null || ref.type().isBlank()) throw new Problem.Invalid(field + ".type", field + ".type is required");
        if (ref.id() == null || ref.id().isEmpty()) throw new Problem.Invalid(field + ".id", field + ".id is required");
        if (ref.id().length() > 500) throw new Problem.Invalid(field + ".id", field + ".id is longer than 500 characters");
    }

    private Resolved resolve(DecisionRequest request) {
        Resolved r = new Resolved();
        String principalType = GatehouseSchema.cedarType(request.principal().type());
        String resourceType = GatehouseSchema.cedarType(request.resource().type());
        Map<Uid, EntityData> entities = new LinkedHashMap<>();

        // Hard guards first: no policy can let an unknown, suspended or retired identity act.
        if (GatehouseSchema.isInventoryType(principalType)) {
            rejectProperties(request.principal(), "subject");
            Optional<Identity> found = isIdentityType(principalType) ? inventory.identity(request.principal().id()) : Optional.empty();
            if (found.isEmpty() || !InventoryEntities.uidOf(found.get()).type().equals(principalType)) {
                r.guard = new Decision.Deny("unknown_principal", List.of(), null, List.of());
                return r;
            }
            Identity principal = found.get();
            if (principal.status() != IdentityStatus.ACTIVE) {
                r.guard = new Decision.Deny(principal.status() == IdentityStatus.SUSPENDED ? "principal_suspended" : "principal_retired",
                        List.of(), null, List.of());
                return r;
            }
            r.principalIdentity = principal;
            inventory.addIdentity(principal, entities);
            if (principal.kind().isNonHuman()) {
                // Attestation is a fact of this request's credential, not of the inventory: a registered key or a workload identity.
                Uid uid = InventoryEntities.uidOf(principal);
                Map<String, Object> attrs = new LinkedHashMap<>(entities.get(uid).attrs());
                attrs.put("attested", ATTESTED_METHODS.contains(authenticationMethod(request)));
                entities.put(uid, new EntityData(uid, attrs, entities.get(uid).parents()));
            }
        }

        r.snapshot = versions.current();
        if (r.snapshot.active().isEmpty()) {
            r.guard = new Decision.Deny("no_active_policy", List.of(), null, List.of());
            return r;
        }
        PolicyEngine.Compiled active = r.snapshot.active().get().policies();

        Uid action = actionUid(request.action(), active);
        for (String t : List.of(principalType, resourceType)) {
            if (!active.hasEntityType(t)) {
                throw new Problem.Invalid("unknown_type", t.equals(principalType) ? "subject.type" : "resource.type",
                        "entity type '" + t + "' is not in the active schema");
            }
        }

        // The resource.
        Uid resource = new Uid(resourceType, request.resource().id());
        if (GatehouseSchema.isInventoryType(resourceType)) {
            rejectProperties(request.resource(), "resource");
            if (!addInventoryResource(resource, entities)) {
                r.guard = new Decision.Deny("unknown_resource", List.of(), r.snapshot.active().get().id(), List.of());
                return r;
            }
        }

        // Application entities: stored ones, then request-scoped ones built from properties.
        boolean applicationTypes = !GatehouseSchema.isInventoryType(principalType) || !GatehouseSchema.isInventoryType(resourceType);
        if (applicationTypes) {
            Map<Uid, EntityData> stored = applicationEntities.all();
            stored.forEach(entities::putIfAbsent);
            addRequestScoped(request.principal(), principalType, entities, "subject.properties");
            addRequestScoped(request.resource(), resourceType, entities, "resource.properties");
        }

        Uid principal = new Uid(principalType, request.principal().id());
        Map<String, Object> context = GatehouseSchema.NAMESPACE.equals(namespaceOf(action.type()))
                ? vocabularyContext(request, r.principalIdentity, resource, entities, active)
                : CedarValues.record(request.context(), "context");
        r.engineRequest = new PolicyEngine.Request(principal, action, resource, context, List.copyOf(entities.values()));
        return r;
    }

    private static String namespaceOf(String actionType) {
        int i = actionType.lastIndexOf("::");
        return i < 0 ? "" : actionType.substring(0, i);
    }

    private static boolean isIdentityType(String t) {
        return t.equals(GatehouseSchema.HUMAN) || t.equals(GatehouseSchema.WORKLOAD) || t.equals(GatehouseSchema.AGENT);
    }

    private static void rejectProperties(EntityRef ref, String field) {
        if (!ref.properties().isEmpty()) {
            throw new Problem.Invalid(field + ".properties", "inventory entities take their attributes from the inventory; "
                    + field + ".properties must be empty");
        }
    }

    private static Uid actionUid(String name, PolicyEngine.Compiled active) {
        if (GatehouseSchema.ACTIONS.contains(name)) return new Uid(GatehouseSchema.ACTION, name);
        if (active.hasApplicationAction(name)) return new Uid("Action", name);
        throw new Problem.Invalid("unknown_action", "action.name", "action '" + name + "' is neither a Gatehouse action "
                + "(read, write, execute, delegate, breakglass) nor an action of the active schema");
    }

    private boolean addInventoryResource(Uid resource, Map<Uid, EntityData> entities) {
        switch (resource.type()) {
            case GatehouseSchema.TOOL, GatehouseSchema.RESOURCE, GatehouseSchema.PROMPT -> {
                Optional<InventoryEntities.FeatureLookup> feature = inventory.feature(resource.type(), resource.id());
                feature.ifPresent(f -> inventory.addFeature(f, entities));
                return feature.isPresent();
            }
            case GatehouseSchema.TOOL_SERVER -> {
                Optional<dev.gatehouse.registry.ToolServer> server = inventory.toolServer(resource.id());
                server.ifPresent(s -> inventory.addToolServer(s, entities));
                return server.isPresent();
            }
            case GatehouseSchema.GROUP -> {
                return false; // groups are never the resource of a Gatehouse action
            }
            default -> {
                Optional<Identity> identity = inventory.identity(resource.id());
                if (identity.isEmpty() || !InventoryEntities.uidOf(identity.get()).type().equals(resource.type())) return false;
                inventory.addIdentity(identity.get(), entities);
                return true;
            }
        }
    }

    private static void addRequestScoped(EntityRef ref, String type, Map<Uid, EntityData> entities, String field) {
        if (GatehouseSchema.isInventoryType(type)) return;
        Uid uid = new Uid(type, ref.id());
        if (entities.containsKey(uid)) {
            if (!ref.properties().isEmpty()) {
                throw new Problem.Invalid(field, uid + " is a stored entity; its attributes cannot be overridden per request");
            }
            return;
        }
        // Without properties the entity is a bare reference: Cedar then knows it has no attributes
        // (`has` is false) instead of failing schema checks for attributes nobody sent.
        if (ref.properties().isEmpty()) return;
        entities.put(uid, new EntityData(uid, CedarValues.record(ref.properties(), field), List.of()));
    }

    private static String authenticationMethod(DecisionRequest request) {
        return request.context().get("authentication") instanceof Map<?, ?> a && a.get("method") instanceof String m ? m : "";
    }

    /** Neutral defaults, caller-supplied keys validated and merged over them, and the server-computed facts. */
    private Map<String, Object> vocabularyContext(DecisionRequest request, Identity principal, Uid resource, Map<Uid, EntityData> entities,
                                                  PolicyEngine.Compiled active) {
        Map<String, Map<String, Object>> ctx = new LinkedHashMap<>();
        ctx.put("task", new LinkedHashMap<>(Map.of("id", "", "intent", "", "scope", List.of(), "useCase", "", "dataCeiling", 3L,
                "destinations", List.of("internal", "external"))));
        ctx.put("delegation", new LinkedHashMap<>(Map.of("depth", 0L, "chain", List.of(), "onBehalfOf", "")));
        ctx.put("data", new LinkedHashMap<>(Map.of("classification", "public", "level", 0L, "findings", List.of())));
        ctx.put("result", new LinkedHashMap<>(Map.of("classification", "public", "level", 0L, "findings", List.of())));
        ctx.put("session", new LinkedHashMap<>(Map.of("taintLevel", 0L, "identityTaintLevel", 0L, "calls", 0L,
                "effectCounts", Map.of("read", 0L, "write", 0L, "execute", 0L), "toolCalls", 0L, "identityCallsLastMinute", 0L)));
        ctx.put("approval", new LinkedHashMap<>(Map.of("granted", false)));
        ctx.put("authentication", new LinkedHashMap<>(Map.of("method", "", "issuer", "")));
        ctx.put("breakglass", new LinkedHashMap<>(Map.of("scope", List.of(), "ttlSeconds", 0L, "ownerAllowed", false)));
        InputType.Converted input = null;
        for (Map.Entry<String, Object> e : request.context().entrySet()) {
            String key = e.getKey();
            if (key.equals("request") || key.equals("inputTruncated")) {
                throw new Problem.Invalid("context." + key, "context." + key + " is computed by Gatehouse and cannot be supplied");
            }
            if (key.equals("input")) {
                // Arguments become Cedar values of the type this version was compiled with; what does not fit is left out.
                JsonNode arguments = e.getValue() instanceof JsonNode n ? n : Json.MAPPER.valueToTree(e.getValue());
                if (!arguments.isObject()) throw new Problem.Invalid("invalid_type", "context.input", "context.input must be an object");
                input = active.inputType().convert(arguments);
                continue;
            }
            Map<String, String> types = CONTEXT_TYPES.get(key);
            if (types == null) {
                throw new Problem.Invalid("unknown_field", "context." + key, "unknown context key '" + key
                        + "' (expected task, delegation, data, result, session, approval, authentication, breakglass, input)");
            }
            if (!(e.getValue() instanceof Map<?, ?> sub)) {
                throw new Problem.Invalid("invalid_type", "context." + key, "context." + key + " must be an object");
            }
            for (Map.Entry<?, ?> f : sub.entrySet()) {
                String name = String.valueOf(f.getKey());
                String field = "context." + key + "." + name;
                String type = types.get(name);
                if (type == null) throw new Problem.Invalid("unknown_field", field, "unknown context field '" + field + "'");
                ctx.get(key).put(name, typed(f.getValue(), type, field));
            }
        }
        Object method = ctx.get("authentication").get("method");
        if (!AUTHENTICATION_METHODS.contains(method)) {
            throw new Problem.Invalid("invalid_value", "context.authentication.method",
                    "context.authentication.method must be client_secret, private_key_jwt or federated");
        }
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("hour", (long) now.getHour());
        facts.put("weekday", (long) now.getDayOfWeek().getValue());
        facts.put("environment", principal == null || principal.environment() == null ? "" : principal.environment());
        facts.put("inScope", inDeclaredScope(principal, request.action(), resource, entities));
        Map<String, Object> out = new LinkedHashMap<>(ctx);
        out.put("request", facts);
        if (input != null) out.put("input", input.values());
        out.put("inputTruncated", input != null && input.truncated());
        return out;
    }

    /** Least privilege: using a feature is in scope when the declared scope covers it and its effect. */
    private static boolean inDeclaredScope(Identity principal, String action, Uid resource, Map<Uid, EntityData> entities) {
        if (principal == null || principal.kind() == IdentityKind.HUMAN) return true;
        Feature.Kind kind = switch (resource.type()) {
            case GatehouseSchema.TOOL -> Feature.Kind.TOOL;
            case GatehouseSchema.RESOURCE -> Feature.Kind.RESOURCE;
            case GatehouseSchema.PROMPT -> Feature.Kind.PROMPT;
            default -> null;
        };
        if (kind == null) return true;
        if (!List.of("read", "write", "execute").contains(action)) return false;
        int slash = resource.id().indexOf('/');
        String scopeId = resource.id().substring(0, slash + 1) + kind.scopePrefix() + resource.id().substring(slash + 1);
        if (principal.scope() == null || !principal.scope().covers(scopeId)) return false;
        Object effect = entities.get(resource).attrs().get("effect");
        return principal.scope().effects().contains(Effect.parse(String.valueOf(effect)))
                && principal.scope().effects().contains(Effect.parse(action));
    }

    private static Object typed(Object v, String type, String field) {
        switch (type) {
            case "S" -> {
                if (v instanceof String) return v;
            }
            case "B" -> {
                if (v instanceof Boolean) return v;
            }
            case "L" -> {
                if (v instanceof Integer i) return i.longValue();
                if (v instanceof Long) return v;
            }
            case "SS" -> {
                if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) return List.copyOf(list);
            }
            case "EC" -> {
                if (v instanceof Map<?, ?> counts) {
                    Map<String, Object> out = new LinkedHashMap<>(Map.of("read", 0L, "write", 0L, "execute", 0L));
                    for (Map.Entry<?, ?> c : counts.entrySet()) {
                        String effect = String.valueOf(c.getKey());
                        if (!out.containsKey(effect)) throw new Problem.Invalid("unknown_field", field + "." + effect, "effect counts are read, write, execute");
                        out.put(effect, typed(c.getValue(), "L", field + "." + effect));
                    }
                    return out;
                }
            }
            default -> throw new IllegalStateException(type);
        }
        String expected = switch (type) {
            case "S" -> "a string";
            case "B" -> "a boolean";
            case "L" -> "an integer";
            case "EC" -> "an object {read, write, execute} of integers";
            default -> "an array of strings";
        };
        throw new Problem.Invalid("invalid_type", field, field + " must be " + expected);
    }

    // --- evaluation

    private record Outcome(Decision decision, List<String> errors) {}

    private Explanation evaluate(DecisionRequest request, Resolved r, long started) {
        PolicyVersions.Loaded active = r.snapshot.active().orElseThrow();
        Outcome outcome = decideWith(active, r.engineRequest);
        long micros = micros(started);
        List<Explanation.DeterminingPolicy> determining = new ArrayList<>();
        for (String id : outcome.decision().policies()) {
            determining.add(new Explanation.DeterminingPolicy(id, active.policies().origin(id), active.policies().annotations(id)));
        }
        Explanation.ShadowOutcome shadow = r.snapshot.shadow().map(s -> shadow(request, r, active, outcome, s)).orElse(null);
        return new Explanation(outcome.decision(), determining, outcome.errors(), active.id(), micros, shadow);
    }

    private Outcome decideWith(PolicyVersions.Loaded version, PolicyEngine.Request request) {
        PolicyEngine.Result result = engine.evaluate(version.policies(), request, Optional.empty());
        if (!result.errors().isEmpty()) {
            // Cedar skips a policy that errors; a skipped forbid could turn into an allow. Any error denies.
            return new Outcome(new Decision.Deny("evaluation_error", result.determining(), version.id(), result.errors()), result.errors());
        }
        if (result.allowed()) return new Outcome(new Decision.Allow(result.determining(), version.id()), List.of());
        if (result.determining().isEmpty()) {
            return new Outcome(new Decision.Deny("not_permitted", List.of(), version.id(), List.of()), List.of());
        }
        boolean onlyApprovals = result.determining().stream()
                .allMatch(id -> version.policies().annotations(id).containsKey(APPROVAL));
        if (onlyApprovals) {
            // Held only if an approval would actually let the call through: without the approval rules it must allow.
            PolicyEngine.Result unblocked = engine.evaluate(version.policies(), request, Optional.of(APPROVAL));
            if (unblocked.errors().isEmpty() && unblocked.allowed()) {
                List<String> approvers = new ArrayList<>();
                Map<String, String> annotations = new LinkedHashMap<>();
                for (String id : result.determining()) {
                    Map<String, String> notes = version.policies().annotations(id);
                    if (!approvers.contains(notes.get(APPROVAL))) approvers.add(notes.get(APPROVAL));
                    notes.forEach(annotations::putIfAbsent);
                }
                return new Outcome(new Decision.Hold(approvers, result.determining(), version.id(), annotations), List.of());
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        for (String id : result.determining()) version.policies().annotations(id).forEach(annotations::putIfAbsent);
        boolean dependsOnCall = result.determining().stream().allMatch(version.policies()::dependsOnCall);
        return new Outcome(new Decision.Deny("forbidden", result.determining(), version.id(), List.of(), annotations, dependsOnCall), List.of());
    }

    private Explanation.ShadowOutcome shadow(DecisionRequest request, Resolved r, PolicyVersions.Loaded active, Outcome live,
                                             PolicyVersions.Loaded candidate) {
        Outcome outcome;
        try {
            outcome = decideWith(candidate, r.engineRequest);
        } catch (RuntimeException e) {
            outcome = new Outcome(new Decision.Deny("evaluation_error", List.of(), candidate.id(), List.of(e.getClass().getSimpleName())), List.of());
        }
        String liveWord = Explanation.outcomeOf(live.decision());
        String shadowWord = Explanation.outcomeOf(outcome.decision());
        boolean agrees = liveWord.equals(shadowWord);
        if (!agrees) {
            disagreements.increment();
            try {
                versions.recordDisagreement(clock.instant(), active.version(), candidate.version(), digest(request),
                        request.principal().type() + ":" + request.principal().id(), request.action(),
                        request.resource().type() + ":" + request.resource().id(), liveWord, shadowWord,
                        live.decision().policies(), outcome.decision().policies());
            } catch (RuntimeException e) {
                // The shadow run must never change or break the live decision.
                log.warn("could not record a shadow disagreement: {}", e.toString());
            }
        }
        return new Explanation.ShadowOutcome(candidate.id(), shadowWord, outcome.decision().policies(), agrees);
    }

    private static String digest(DecisionRequest request) {
        return Secrets.sha256Hex(Json.canonical(request));
    }

    private static long micros(long started) {
        return (System.nanoTime() - started) / 1000;
    }

    // --- audit

    private void record(DecisionRequest request, Resolved r, Explanation e, String actor, Purpose purpose) {
        Decision d = e.decision();
        boolean privileged = !"read".equals(request.action()) && GatehouseSchema.ACTIONS.contains(request.action());
        AuditEvent event = AuditEvent.of("policy.decision", privileged ? AuditEvent.Category.PRIVILEGED : AuditEvent.Category.ACCESS,
                e.outcome(), actor);
        Identity p = r == null ? null : r.principalIdentity;
        event = event.withSubject(request.principal().id(), p == null ? null : p.kind().wire(), p == null ? null : p.owner())
                .withAction(request.action(), request.resource().id())
                .withPolicy(d.policies(), d.policyVersion());
        if (d instanceof Decision.Deny deny) event = event.withReason(deny.reason());
        if (d instanceof Decision.Hold hold) event = event.withReason("approval_required:" + String.join(",", hold.approvers()));
        if (request.context().get("delegation") instanceof Map<?, ?> delegation) {
            Object onBehalfOf = delegation.get("onBehalfOf");
            List<String> chain = delegation.get("chain") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
            event = event.withDelegation(onBehalfOf instanceof String s && !s.isEmpty() ? s : null, chain);
        }
        if (request.context().get("task") instanceof Map<?, ?> task && task.get("id") instanceof String id && !id.isEmpty()) {
            event = event.withTask(id, null);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("principalType", request.principal().type());
        detail.put("resourceType", request.resource().type());
        detail.put("evaluationMicros", e.evaluationMicros());
        if (purpose != Purpose.ENFORCE) detail.put("purpose", purpose.wire());
        if (!e.errors().isEmpty()) detail.put("errors", e.errors().size());
        if (e.shadow() != null) {
            detail.put("shadowVersion", e.shadow().version());
            detail.put("shadowOutcome", e.shadow().outcome());
        }
        audit.record(event.withDetail(detail));
    }
}
