package dev.gatehouse.registry;

import dev.gatehouse.registry.Vocabulary.Destination;
import dev.gatehouse.registry.Vocabulary.Trust;
import dev.gatehouse.registry.Vocabulary.UpstreamAuth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An upstream MCP server reached over HTTP ({@code url}) or launched as a stdio process: {@code stdio} names a
 * command the operator configured ({@code gateway.stdioCommands}); the API never carries argv. It offers
 * features: tools, resources and prompts. {@code upstreamAuth} says how the gateway authenticates to it, and
 * {@code upstreamResource} is its RFC 8707 resource indicator (the audience of what the gateway presents; null: its URL).
 */
public record ToolServer(String id, String displayName, String url, String stdio, UpstreamAuth upstreamAuth, String upstreamResource,
                         Trust trust,
                         Destination destination, List<Tool> tools, List<Resource> resources, List<Prompt> prompts,
                         Instant createdAt, Instant updatedAt, long version) {
    public ToolServer {
        upstreamAuth = upstreamAuth == null ? UpstreamAuth.STATIC : upstreamAuth;
        tools = tools == null ? List.of() : List.copyOf(tools);
        resources = resources == null ? List.of() : List.copyOf(resources);
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
    }

    /** The resource indicator the gateway names as audience upstream (RFC 8707): the configured one, else the URL. */
    public String resource() { return upstreamResource != null ? upstreamResource : url; }

    /** Every feature, tools first. */
    public List<Feature> features() {
        List<Feature> all = new ArrayList<>(tools);
        all.addAll(resources);
        all.addAll(prompts);
        return all;
    }

    public Optional<Tool> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<Prompt> prompt(String name) {
        return prompts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The registered resource entry that governs {@code uri}: an exact entry, else the matching pattern with the longest literal prefix. */
    public Optional<Resource> resourceFor(String uri) {
        Resource best = null;
        for (Resource r : resources) {
            if (r.uri().equals(uri)) return Optional.of(r);
            if (UriPatterns.matches(r.uri(), uri)
                    && (best == null || UriPatterns.literalPrefix(r.uri()).length() > UriPatterns.literalPrefix(best.uri()).length())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The feature of {@code kind} registered under exactly {@code key} (a resource pattern as written). */
    public Optional<Feature> feature(Feature.Kind kind, String key) {
        return features().stream().filter(f -> f.kind() == kind && f.key().equals(key)).findFirst();
    }

    /** The same server with its features replaced. */
    public ToolServer withFeatures(List<Feature> features, Instant updatedAt, long version) {
        List<Tool> t = new ArrayList<>();
        List<Resource> r = new ArrayList<>();
        List<Prompt> p = new ArrayList<>();
        for (Feature f : features) {
            if (f instanceof Tool tool) t.add(tool);
            else if (f instanceof Resource resource) r.add(resource);
            else if (f instanceof Prompt prompt) p.add(prompt);
        }
        return new ToolServer(id, displayName, url, stdio, upstreamAuth, upstreamResource, trust, destination, t, r, p, createdAt, updatedAt, version);
    }
}
