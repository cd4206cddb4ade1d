package dev.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cedar.ast.Effect;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.authz.AuthorizationError;
import dev.gatehouse.cedar.authz.PolicySet;
import dev.gatehouse.cedar.authz.Response;
import dev.gatehouse.cedar.entities.Entities;
import dev.gatehouse.cedar.entities.Entity;
import dev.gatehouse.cedar.json.CedarJson;
import dev.gatehouse.cedar.parser.ParseException;
import dev.gatehouse.cedar.parser.ParserLimits;
import dev.gatehouse.cedar.parser.PolicyParser;
import dev.gatehouse.cedar.parser.SchemaParser;
import dev.gatehouse.cedar.schema.ActionDefinition;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaType;
import dev.gatehouse.cedar.value.DatetimeValue;
import dev.gatehouse.cedar.value.DecimalValue;
import dev.gatehouse.cedar.value.DurationValue;
import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.IpAddrValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.Value;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decision engine: Gatehouse's own Cedar evaluator ({@code gatehouse-cedar}), pure Java,
 * compiled and indexed once per policy version, with no native call and no JSON round trip per
 * decision. What happens at push time — the generated schema, Cedar's strict validation, entity
 * validation — stays with the Cedar reference engine (cedar-java, {@link CedarPolicyEngine}), off the
 * hot path; but policy text reaches it only after this engine's parser accepted it, so hostile text
 * (nesting a thousand deep) is a clean error with its position, never a native crash.
 *
 * <p>Every version is compiled for both engines, so the reference engine can also decide
 * ({@code policy.engine: cedar-java}), and either can check the other live ({@code policy.compareEngines}):
 * the live answer stays the chosen engine's, disagreements are counted and logged.
 */
public final class GatehousePolicyEngine implements PolicyEngine {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GatehousePolicyEngine.class);

    /** Which engine gives the live answer. */
    public enum Evaluator {
        GATEHOUSE, CEDAR_JAVA;

        public static Evaluator parse(String configured) {
            return switch (configured == null ? "gatehouse" : configured) {
                case "gatehouse" -> GATEHOUSE;
                case "cedar-java" -> CEDAR_JAVA;
                default -> throw new IllegalArgumentException("policy.engine must be gatehouse or cedar-java");
            };
        }
    }

    private final CedarPolicyEngine reference;
    private final Evaluator live;
    private final io.micrometer.core.instrument.Counter disagreements;

    /**
     * @param reference     validates what this engine evaluates (schema, strict mode, entities)
     * @param live          the engine whose answer decides
     * @param disagreements counts decisions on which the other engine disagreed; null: the other engine is not run
     */
    public GatehousePolicyEngine(CedarPolicyEngine reference, Evaluator live, io.micrometer.core.instrument.Counter disagreements) {
        this.reference = reference;
        this.live = live;
        this.disagreements = disagreements;
    }

    /** The pure-Java engine alone. */
    public GatehousePolicyEngine(CedarPolicyEngine reference) {
        this(reference, Evaluator.GATEHOUSE, null);
    }

    @Override
    public String schema(PolicyBundle bundle) { return reference.schema(bundle); }

    @Override
    public List<PolicyError> validate(PolicyBundle bundle) {
        CedarPolicyEngine.requireWithinLimits(bundle); // the reference engine parses the same text natively
        List<PolicyError> errors = new ArrayList<>();
        parse(bundle, errors);
        return errors.isEmpty() ? reference.validate(bundle) : errors;
    }

    @Override
    public Compiled compile(PolicyBundle bundle) {
        CedarPolicyEngine.requireWithinLimits(bundle);
        List<PolicyError> errors = new ArrayList<>();
        List<Policy> policies = parse(bundle, errors);
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder("policy directory is not valid (" + errors.size() + " error"
                    + (errors.size() == 1 ? "" : "s") + ", nothing stored):");
            errors.forEach(e -> message.append('\n').append(e));
            throw new Problem.Invalid("policy_invalid", "files", message.toString());
        }
        Compiled validated = reference.compile(bundle);
        Schema schema;
        try {
            schema = SchemaParser.parse(validated.schemaText());
        } catch (RuntimeException e) {
            schema = null; // the reference engine accepted it; application contexts are then read without it
        }
        return new GatehouseCompiled(validated, PolicySet.of(policies), schema);
    }

    /**
     * Every policy of the bundle, parsed by this engine's bounded parser, with Gatehouse's ids: the
     * {@code @id} annotation, else {@code <file>#<n>} (as the reference engine names them).
     */
    /**
     * {@link PolicyTextLimits} (checked first) allows 32 levels of brackets and {@code if}s and chains of 512
     * operators; each chain link is one level of this parser's tree, so its own bound sits above their sum.
     */
    private static final ParserLimits PARSER_LIMITS = new ParserLimits(1024, PolicyTextLimits.MAX_FILE_CHARS, 100_000);

    private static List<Policy> parse(PolicyBundle bundle, List<PolicyError> errors) {
        List<Policy> out = new ArrayList<>();
        for (Map.Entry<String, String> file : bundle.files().entrySet()) {
            if (!file.getKey().endsWith(".cedar")) continue;
            List<Policy> parsed;
            try {
                parsed = PolicyParser.parse(file.getValue(), PARSER_LIMITS);
            } catch (ParseException e) {
                errors.add(located(file.getKey(), e.getMessage()));
                continue;
            }
            for (int n = 0; n < parsed.size(); n++) {
                Policy p = parsed.get(n);
                String id = p.hasAnnotation("id") ? p.annotation("id") : file.getKey() + "#" + n;
                out.add(new Policy(id, p.effect(), p.annotations(), p.principal(), p.action(), p.resource(), p.conditions(), p.text(),
                        p.location()));
            }
        }
        return out;
    }

    /** A parse error ({@code line:column: message}) as {@code file:line:column: message}. */
    private static PolicyError located(String file, String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+):(\\d+): (.*)$", java.util.regex.Pattern.DOTALL).matcher(message);
        if (m.matches()) return new PolicyError(file, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
        return new PolicyError(file, 0, 0, message);
    }

    @Override
    public Result evaluate(Compiled policies, Request request, Optional<String> withoutAnnotation) {
        GatehouseCompiled compiled = (GatehouseCompiled) policies;
        Result answer = live == Evaluator.GATEHOUSE ? evaluateHere(compiled, request, withoutAnnotation)
                : reference.evaluate(compiled.validated, request, withoutAnnotation);
        if (disagreements != null) {
            Result other = live == Evaluator.GATEHOUSE ? reference.evaluate(compiled.validated, request, withoutAnnotation)
                    : evaluateHere(compiled, request, withoutAnnotation);
            if (answer.allowed() != other.allowed() || !new java.util.HashSet<>(answer.determining()).equals(new java.util.HashSet<>(other.determining()))
                    || answer.errors().isEmpty() != other.errors().isEmpty()) {
                disagreements.increment();
                log.warn("the decision engines disagree on {} {} {}: {} {} / other {} {}", request.principal(), request.action(),
                        request.resource(), answer.allowed(), answer.determining(), other.allowed(), other.determining());
            }
        }
        return answer;
    }

    private Result evaluateHere(GatehouseCompiled compiled, Request request, Optional<String> withoutAnnotation) {
        RecordValue context = context(compiled, request);
        try {
            List<Entity> entities = new ArrayList<>(request.entities().size());
            for (EntityData e : request.entities()) entities.add(entity(e));
            PolicySet set = withoutAnnotation.map(compiled::withoutForbids).orElse(compiled.set);
            Response response = set.authorize(new dev.gatehouse.cedar.authz.Request(uid(request.principal()), uid(request.action()),
                    uid(request.resource()), context), Entities.of(entities));
            List<String> errors = new ArrayList<>();
            for (AuthorizationError e : response.errors()) errors.add(e.policyId() + ": " + e.message());
            List<String> determining = new ArrayList<>(response.reasons());
            determining.sort(Comparator.comparingInt(compiled::position));
            return new Result(response.isAllowed(), determining, errors);
        } catch (RuntimeException e) {
            return new Result(false, List.of(), List.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /**
     * The context as a Cedar record. An application action's context is read against the schema, as Cedar
     * does (a mismatch is the caller's mistake: 400); the vocabulary's context was typed by the decision point.
     */
    private static RecordValue context(GatehouseCompiled compiled, Request request) {
        boolean application = !request.action().type().startsWith(GatehouseSchema.NAMESPACE + "::");
        if (application && compiled.schema != null) {
            try {
                JsonNode json = Json.MAPPER.valueToTree(request.context());
                EntityUid action = uid(request.action());
                checkDeclared(json, compiled.schema.action(action));
                return CedarJson.context(json, compiled.schema, action);
            } catch (RuntimeException e) {
                throw new Problem.Invalid("invalid_context", "context", "context does not match the schema: " + e.getMessage());
            }
        }
        return record(request.context());
    }

    /** Every attribute the context carries must be declared, and every required one present (Cedar's request validation). */
    private static void checkDeclared(JsonNode context, ActionDefinition action) {
        Map<String, SchemaType.Attribute> declared = action == null || action.context() == null ? Map.of() : action.context().attributes();
        context.fieldNames().forEachRemaining(name -> {
            if (!declared.containsKey(name)) throw new IllegalArgumentException("the action declares no context attribute `" + name + "`");
        });
        declared.forEach((name, a) -> {
            if (a.required() && !context.has(name)) throw new IllegalArgumentException("the context lacks the required attribute `" + name + "`");
        });
    }

    @Override
    public List<String> validateEntities(Compiled policies, List<EntityData> entities) {
        return reference.validateEntities(((GatehouseCompiled) policies).validated, entities);
    }

    // --- engine-neutral values → Cedar values

    static EntityUid uid(EntityData.Uid uid) { return EntityUid.of(uid.type(), uid.id()); }

    static Entity entity(EntityData e) {
        List<EntityUid> parents = new ArrayList<>(e.parents().size());
        for (EntityData.Uid p : e.parents()) parents.add(uid(p));
        Map<String, Value> tags = new HashMap<>();
        e.tags().forEach((k, v) -> tags.put(k, value(v)));
        return Entity.of(uid(e.uid()), record(e.attrs()).attributes(), parents, tags);
    }

    static RecordValue record(Map<String, ?> attributes) {
        Map<String, Value> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, value(v)));
        return RecordValue.of(out);
    }

    static Value value(Object v) {
        if (v instanceof String s) return Value.of(s);
        if (v instanceof Boolean b) return Value.of(b);
        if (v instanceof Long l) return Value.of(l);
        if (v instanceof Integer i) return Value.of(i.longValue());
        if (v instanceof EntityData.Uid u) return uid(u);
        if (v instanceof EntityData.Extension x) {
            return switch (x.function()) {
                case "decimal" -> DecimalValue.parse(x.argument());
                case "ip" -> IpAddrValue.parse(x.argument());
                case "datetime" -> DatetimeValue.parse(x.argument());
                case "duration" -> DurationValue.parse(x.argument());
                default -> throw new IllegalArgumentException("unknown extension function " + x.function());
            };
        }
        if (v instanceof Collection<?> c) {
            List<Value> values = new ArrayList<>(c.size());
            for (Object o : c) values.add(value(o));
            return SetValue.of(values);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Value> values = new LinkedHashMap<>();
            m.forEach((k, o) -> values.put(String.valueOf(k), value(o)));
            return RecordValue.of(values);
        }
        if (v instanceof JsonNode n) return CedarJson.value(n);
        throw new IllegalArgumentException("value of type " + (v == null ? "null" : v.getClass().getSimpleName()) + " has no Cedar equivalent");
    }

    /** A version compiled by both: validated by the reference engine, evaluated by this one. */
    private static final class GatehouseCompiled implements Compiled {
        final Compiled validated;
        final PolicySet set;
        final Schema schema;
        final Map<String, Integer> positions = new HashMap<>();
        final Map<String, PolicySet> withoutForbids = new ConcurrentHashMap<>();

        GatehouseCompiled(Compiled validated, PolicySet set, Schema schema) {
            this.validated = validated;
            this.set = set;
            this.schema = schema;
            List<String> ids = validated.policyIds();
            for (int i = 0; i < ids.size(); i++) positions.put(ids.get(i), i);
        }

        int position(String policyId) { return positions.getOrDefault(policyId, Integer.MAX_VALUE); }

        /** The set without the forbids carrying {@code annotation} (would an approval let the call through?), built once. */
        PolicySet withoutForbids(String annotation) {
            return withoutForbids.computeIfAbsent(annotation, a -> set.filter(p -> !(p.effect() == Effect.FORBID && p.hasAnnotation(a))));
        }

        @Override public List<String> policyIds() { return validated.policyIds(); }
        @Override public Map<String, String> annotations(String policyId) { return validated.annotations(policyId); }
        @Override public boolean dependsOnCall(String policyId) { return validated.dependsOnCall(policyId); }
        @Override public String origin(String policyId) { return validated.origin(policyId); }
        @Override public String schemaText() { return validated.schemaText(); }
        @Override public boolean hasEntityType(String cedarType) { return validated.hasEntityType(cedarType); }
        @Override public boolean hasApplicationAction(String name) { return validated.hasApplicationAction(name); }
        @Override public InputType inputType() { return validated.inputType(); }
    }
}
