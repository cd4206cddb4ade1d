package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.entities.EntityStore;
import dev.gatehouse.cedar.eval.Env;
import dev.gatehouse.cedar.parser.ParseException;
import dev.gatehouse.cedar.parser.ParserLimits;
import dev.gatehouse.cedar.parser.PolicyParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A compiled, indexed set of policies: the authorizer. Built once, immutable, and safe to share
 * between threads; {@link #authorize} allocates only per-request bookkeeping.
 *
 * <pre>{@code
 * PolicySet policies = PolicySet.parse(text);
 * Response r = policies.authorize(new Request(principal, action, resource, context), entities);
 * if (r.isAllowed()) …
 * }</pre>
 *
 * <p>Answers are Cedar's: a satisfied forbid denies; otherwise a satisfied permit allows;
 * otherwise deny. A policy whose evaluation fails is skipped and listed in
 * {@link Response#errors()}, so an erroring forbid never denies and an erroring permit never
 * allows.
 */
public final class PolicySet {
    private final List<Policy> policies;
    private final Map<String, Policy> byId;
    private final CompiledPolicy[] compiled;
    private final PolicyIndex index;
    private final Map<String, PolicySet> withoutAnnotation = new ConcurrentHashMap<>();

    private PolicySet(List<Policy> policies) {
        Map<String, Policy> ids = new LinkedHashMap<>();
        for (Policy p : policies) {
            if (ids.putIfAbsent(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate policy id `" + p.id() + "`");
            }
        }
        this.policies = List.copyOf(policies);
        this.byId = Collections.unmodifiableMap(ids);
        this.compiled = new CompiledPolicy[policies.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = new CompiledPolicy(policies.get(i), i);
        }
        this.index = new PolicyIndex(PolicyGroups.form(compiled));
    }

    /**
     * Parses and compiles policy text with the default {@link ParserLimits}.
     *
     * @throws ParseException when the text is not valid Cedar or exceeds a limit
     */
    public static PolicySet parse(String text) {
        return of(PolicyParser.parse(text));
    }

    public static PolicySet parse(String text, ParserLimits limits) {
        return of(PolicyParser.parse(text, limits));
    }

    /**
     * Compiles already parsed policies (e.g. from several files).
     *
     * @throws IllegalArgumentException when two policies have the same id
     */
    public static PolicySet of(Collection<Policy> policies) {
        return new PolicySet(new ArrayList<>(policies));
    }

    /** The policies, in the order given. */
    public List<Policy> policies() {
        return policies;
    }

    /** The policy with that id, or null. */
    public Policy policy(String id) {
        return byId.get(id);
    }

    public int size() {
        return policies.size();
    }

    /** Decides the request against these policies and entities. */
    public Response authorize(Request request, EntityStore entities) {
        Env env = new Env(request.principal(), request.action(), request.resource(), request.context(), entities);
        Outcome out = new Outcome();
        index.evaluate(env, out);
        return out.toResponse(compiled);
    }

    /**
     * This set without the policies that carry the annotation (whatever its value). Gatehouse uses
     * it to ask "would the request be allowed if the {@code @approval(…)} forbids were lifted?".
     * Compiled on first use and cached.
     */
    public PolicySet without(String annotation) {
        return withoutAnnotation.computeIfAbsent(annotation, a -> filter(p -> !p.hasAnnotation(a)));
    }

    /** A new set of the policies that pass the filter. */
    public PolicySet filter(Predicate<Policy> keep) {
        return new PolicySet(policies.stream().filter(keep).toList());
    }
}
