package dev.gatehouse.gateway;

import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.Risk;

/**
 * The object a message uses, resolved against the registry: a tool, a resource (by the concrete URI,
 * classified by the registered entry that matches it) or a prompt of one tool server.
 *
 * @param key the tool or prompt name, or the concrete resource URI
 */
record Governed(ToolServer server, Feature feature, String key) {
    Feature.Kind kind() { return feature.kind(); }

    /** The id scopes name and the audit records: {@code <server>/<tool>}, {@code <server>/resource:<uri>}, {@code <server>/prompt:<name>}. */
    String scopeId() { return server.id() + "/" + kind().scopePrefix() + key; }

    /** The Cedar entity id (its type is {@code kind().cedarType()}). */
    String cedarId() { return server.id() + "/" + key; }

    Effect effect() { return feature.effect() == null ? Effect.EXECUTE : feature.effect(); }

    Risk risk() { return feature.risk() == null ? Risk.HIGH : feature.risk(); }

    Destination destination() { return feature.destination() != null ? feature.destination() : server.destination(); }
}
