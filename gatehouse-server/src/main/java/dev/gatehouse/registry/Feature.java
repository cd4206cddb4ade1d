package dev.gatehouse.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;
import java.util.Locale;

/**
 * What a tool server offers an agent, as the MCP specification names its server features: a
 * {@link Tool}, a {@link Resource} (by URI or URI template) or a {@link Prompt}. Each is a governed
 * object: classified by an admin (effect, risk, destination), named by task scopes, a Cedar entity,
 * and pinned to the definition the upstream showed when it was approved.
 *
 * <p>A feature is usable only when it is classified and its definition has not changed since it was
 * pinned; otherwise it is in {@linkplain #quarantine() quarantine}: never listed to agents, never
 * forwarded, until an admin classifies (re-approves) it.
 */
public sealed interface Feature permits Tool, Resource, Prompt {
    /** The kinds, with the words the scope syntax, the store and Cedar use for them. */
    enum Kind {
        TOOL("", "Gatehouse::Tool"), RESOURCE("resource:", "Gatehouse::Resource"), PROMPT("prompt:", "Gatehouse::Prompt");

        private final String scopePrefix;
        private final String cedarType;

        Kind(String scopePrefix, String cedarType) {
            this.scopePrefix = scopePrefix;
            this.cedarType = cedarType;
        }

        public String wire() { return name().toLowerCase(Locale.ROOT); }

        /** What follows {@code <server>/} in a scope item: nothing for tools, {@code resource:} or {@code prompt:}. */
        public String scopePrefix() { return scopePrefix; }

        public String cedarType() { return cedarType; }

        public static Kind parse(String wire) { return Vocabulary.parse(Kind.class, "kind", wire); }
    }

    /** Why a feature may not be used; {@link #NONE} when it may. */
    enum Quarantine {
        NONE, UNCLASSIFIED, DEFINITION_CHANGED;

        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }

    @JsonIgnore Kind kind();

    /** The tool or prompt name, or the resource URI (exact, an RFC 6570 template, or a prefix ending in {@code *}). */
    @JsonIgnore String key();

    String description();

    Effect effect();

    Risk risk();

    Destination destination();

    Boolean classified();

    /** The definition approved and the one last seen, when they differ; null until first seen. */
    Pin pin();

    /** The id task scopes and policies use: {@code <server>/<name>}, {@code <server>/resource:<uri>}, {@code <server>/prompt:<name>}. */
    default String scopeId(String serverId) { return serverId + "/" + kind().scopePrefix() + key(); }

    /** The quarantine as the API shows it; absent for a usable feature and for a declaration (classified not yet decided). */
    /** The Cedar entity id of this feature on {@code serverId} (the entity type says which kind): {@code <server>/<name or uri>}. */
    default String cedarId(String serverId) { return serverId + "/" + key(); }

    @JsonProperty(value = "quarantine", access = JsonProperty.Access.READ_ONLY)
    default String quarantineWire() { return classified() == null || quarantine() == Quarantine.NONE ? null : quarantine().wire(); }

    @JsonIgnore
    default Quarantine quarantine() {
        if (!Boolean.TRUE.equals(classified())) return Quarantine.UNCLASSIFIED;
        if (pin() != null && pin().changed()) return Quarantine.DEFINITION_CHANGED;
        return Quarantine.NONE;
    }

    /** The same feature with a new classification and pin (the record's own type). */
    Feature with(Effect effect, Risk risk, Destination destination, boolean classified, Pin pin);

    /** A new feature of {@code kind}, as discovered or declared. */
    static Feature of(Kind kind, String key, String description, Effect effect, Risk risk, Destination destination,
                      boolean classified, Pin pin) {
        return switch (kind) {
            case TOOL -> new Tool(key, description, effect, risk, destination, classified, pin);
            case RESOURCE -> new Resource(key, description, effect, risk, destination, classified, pin);
            case PROMPT -> new Prompt(key, description, effect, risk, destination, classified, pin);
        };
    }
}
