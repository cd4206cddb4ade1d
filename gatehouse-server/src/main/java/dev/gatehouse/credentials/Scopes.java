package dev.gatehouse.credentials;

import dev.gatehouse.registry.Scope;
import dev.gatehouse.registry.ScopePatterns;
import dev.gatehouse.registry.Vocabulary.Effect;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Task scopes in OAuth form: a space-separated list of feature patterns ({@link ScopePatterns}:
 * {@code server/tool}, {@code server/*}, {@code server/prompt:name}, {@code server/resource:uri}, {@code *}) and effects ({@code read}, {@code write}, {@code execute}), e.g.
 * {@code "github/list_issues github/get_issue read"}. A task scope never exceeds what it is cut from.
 */
public final class Scopes {
    private static final int MAX_ITEMS = 200;

    private Scopes() {}

    /**
     * Parses a requested scope. A dimension left out (no tool patterns, or no effects) means that
     * dimension of {@code bound} unchanged; everything named must lie within {@code bound}.
     */
    public static Scope narrow(String requested, Scope bound) {
        if (requested == null || requested.isBlank()) {
            return bound;
        }
        List<String> tools = new ArrayList<>();
        Set<Effect> effects = EnumSet.noneOf(Effect.class);
        String[] items = requested.strip().split(" +");
        if (items.length > MAX_ITEMS) throw OAuthException.invalidScope("scope names more than " + MAX_ITEMS + " items");
        for (String item : items) {
            Effect effect = effect(item);
            if (effect != null) {
                effects.add(effect);
            } else if (ScopePatterns.valid(item)) {
                if (!tools.contains(item)) tools.add(item);
            } else {
                throw OAuthException.invalidScope("scope items are patterns (" + ScopePatterns.SYNTAX + ") or effects (read, write, execute)");
            }
        }
        Scope wanted = new Scope(tools.isEmpty() ? bound.tools() : tools, effects.isEmpty() ? bound.effects() : effects);
        if (!within(wanted, bound)) {
            throw OAuthException.invalidScope("requested scope exceeds what this identity may be granted");
        }
        return wanted;
    }

    /** True when every tool pattern of {@code inner} is covered by one of {@code outer} and its effects are a subset. */
    public static boolean within(Scope inner, Scope outer) {
        if (!outer.effects().containsAll(inner.effects())) return false;
        for (String p : inner.tools()) {
            if (outer.tools().stream().noneMatch(o -> covers(o, p))) return false;
        }
        return true;
    }

    /** The largest scope within both: pairwise pattern intersections, common effects. */
    public static Scope intersect(Scope a, Scope b) {
        Set<String> tools = new LinkedHashSet<>();
        for (String x : a.tools()) {
            for (String y : b.tools()) {
                if (covers(x, y)) tools.add(y);
                else if (covers(y, x)) tools.add(x);
            }
        }
        // Drop patterns another kept pattern already covers, so the result stays minimal.
        List<String> minimal = new ArrayList<>();
        for (String t : tools) {
            if (tools.stream().noneMatch(o -> !o.equals(t) && covers(o, t))) minimal.add(t);
        }
        Set<Effect> effects = EnumSet.noneOf(Effect.class);
        effects.addAll(a.effects());
        effects.retainAll(b.effects());
        return new Scope(minimal, effects);
    }

    public static boolean isEmpty(Scope s) {
        return s.tools().isEmpty() || s.effects().isEmpty();
    }

    /** Does pattern {@code outer} cover pattern (or scope id) {@code inner}? */
    static boolean covers(String outer, String inner) {
        return ScopePatterns.covers(outer, inner);
    }

    /** The OAuth form: tool patterns in their order, then effects in canonical order. */
    public static String format(Scope s) {
        List<String> parts = new ArrayList<>(s.tools());
        for (Effect e : Effect.values()) if (s.effects().contains(e)) parts.add(e.wire());
        return String.join(" ", parts);
    }

    /** The items as a set, the shape Cedar policies see in {@code context.task.scope}. */
    public static Set<String> items(Scope s) {
        Set<String> out = new TreeSet<>(s.tools());
        for (Effect e : s.effects()) out.add(e.wire());
        return out;
    }

    private static Effect effect(String item) {
        for (Effect e : Effect.values()) {
            if (e.wire().equals(item.toLowerCase(Locale.ROOT)) && item.equals(e.wire())) return e;
        }
        return null;
    }
}
