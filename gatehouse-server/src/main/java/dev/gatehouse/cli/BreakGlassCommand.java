package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse breakglass --identity … --scope … --ttl … --justification "…"}: emergency, time-boxed
 * access given by the human whose approver token is in GATEHOUSE_TOKEN. It bypasses approval holds,
 * never the hard guards, and raises a critical audit event.
 */
@Command(name = "breakglass", mixinStandardHelpOptions = true,
        description = "Give an identity emergency, time-boxed access that bypasses approval holds (never hard guards). "
                + "Authenticate with your approver token (GATEHOUSE_TOKEN).")
public final class BreakGlassCommand implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;
    @Option(names = "--identity", required = true, description = "The workload or agent that gets the access.") String identity;
    @Option(names = "--scope", required = true, split = ",",
            description = "Tool patterns: server/tool, server/* or * (comma- or space-separated).") List<String> scope;
    @Option(names = "--ttl", required = true, description = "Seconds until it ends by itself (at most approvals.breakGlassMaxTtlSeconds).") Integer ttl;
    @Option(names = "--justification", required = true, description = "Why (required; recorded and notified).") String justification;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identity", identity);
        body.put("scope", scope.stream().flatMap(s -> Arrays.stream(s.trim().split("\\s+"))).filter(s -> !s.isEmpty()).toList());
        body.put("ttlSeconds", ttl);
        body.put("justification", justification);
        JsonNode grant = client.client().post("v1/breakglass", body);
        PrintWriter out = spec.commandLine().getOut();
        if (client.json()) {
            ClientOptions.printJson(out, grant);
            return 0;
        }
        out.println("break-glass " + grant.path("id").asText() + ": " + identity + " may use " + String.join(" ", scopeOf(grant))
                + " until " + grant.path("expiresAt").asText() + " (approval holds bypassed; hard guards still apply)");
        return 0;
    }

    private static List<String> scopeOf(JsonNode grant) {
        java.util.List<String> out = new java.util.ArrayList<>();
        grant.path("scope").forEach(n -> out.add(n.asText()));
        return out;
    }
}
