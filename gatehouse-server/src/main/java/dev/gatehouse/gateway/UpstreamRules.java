package dev.gatehouse.gateway;

import dev.gatehouse.core.Problem;
import dev.gatehouse.outbound.Destinations;
import dev.gatehouse.registry.UpstreamTargets;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The operator's rules for tool servers: the configured stdio commands and the outbound destinations. */
public final class UpstreamRules implements UpstreamTargets {
    private final Map<String, StdioCommand> stdio;
    private final Destinations destinations;

    public UpstreamRules(Map<String, StdioCommand> stdio, Destinations destinations) {
        this.stdio = Map.copyOf(stdio);
        this.destinations = destinations;
    }

    /** The configured command of that name, if the operator (still) lists it. */
    public Optional<StdioCommand> stdioCommand(String name) { return Optional.ofNullable(stdio.get(name)); }

    @Override
    public void checkStdio(String name) {
        if (!stdio.containsKey(name)) {
            throw new Problem.Invalid("stdio", "no stdio command named '" + name + "' is configured (gateway.stdioCommands"
                    + (stdio.isEmpty() ? " is empty" : ": " + String.join(", ", new TreeSet<>(stdio.keySet()))) + ")");
        }
    }

    @Override
    public void checkUrl(String field, String url) {
        destinations.refusal(URI.create(url)).ifPresent(reason -> {
            throw new Problem.Invalid("destination_not_allowed", field, field + " is not an allowed destination: " + reason);
        });
    }
}
