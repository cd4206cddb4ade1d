package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
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
        description = "Give an identity emergency, time-boxed access that bypasses approval holds (never hard guards), if policy "
                + "lets you (Cedar action breakglass). Authenticate with your approver token (GATEHOUSE_TOKEN).",
        subcommands = {BreakGlassCommand.Reviews.class, BreakGlassCommand.CloseReview.class})
public final class BreakGlassCommand implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Spec CommandSpec spec;
    // Required when granting; not marked required so that the review subcommands can run without them.
    @Option(names = "--identity", description = "The workload or agent that gets the access (required).") String identity;
    @Option(names = "--scope", split = ",",
            description = "Tool patterns: server/tool, server/* or * (comma- or space-separated; required).") List<String> scope;
    @Option(names = "--ttl", description = "Seconds until it ends by itself (at most approvals.breakGlassMaxTtlSeconds; required).") Integer ttl;
    @Option(names = "--justification", description = "Why (required; recorded and notified).") String justification;

    @Override
    public Integer call() {
        List<String> missing = new ArrayList<>();
        if (identity == null) missing.add("--identity");
        if (scope == null) missing.add("--scope");
        if (ttl == null) missing.add("--ttl");
        if (justification == null) missing.add("--justification");
        if (!missing.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required options: " + String.join(", ", missing));
        }
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

    /** {@code gatehouse breakglass reviews [--status open|overdue|closed]}: the review items of grants. */
    @Command(name = "reviews", mixinStandardHelpOptions = true, description = "List break-glass reviews, earliest deadline first.")
    static final class Reviews extends ClientCommand {
        @Option(names = "--status", description = "open, overdue or closed.") String status;

        @Override
        public Integer call() {
            printItems(client().get("v1/breakglass/reviews" + (status == null ? "" : "?status=" + status)),
                    "id", "status", "identity", "grantedBy", "dueAt", "closedBy", "outcome");
            return 0;
        }
    }

    /** {@code gatehouse breakglass close-review ID --outcome appropriate|inappropriate [--note N]}, as yourself. */
    @Command(name = "close-review", mixinStandardHelpOptions = true,
            description = "Close a break-glass review with your approver token (not the human who broke glass).")
    static final class CloseReview extends ClientCommand {
        @picocli.CommandLine.Parameters(paramLabel = "REVIEW") String id;
        @Option(names = "--outcome", required = true, description = "appropriate or inappropriate.") String outcome;
        @Option(names = "--note", description = "What you found (required, 10+ characters, for inappropriate).") String note;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("outcome", outcome);
            if (note != null) body.put("note", note);
            printObject(client().post("v1/breakglass/reviews/" + id + "/close", body),
                    "id", "status", "grant", "identity", "grantedBy", "closedBy", "outcome", "note");
            return 0;
        }
    }

    private static List<String> scopeOf(JsonNode grant) {
        java.util.List<String> out = new ArrayList<>();
        grant.path("scope").forEach(n -> out.add(n.asText()));
        return out;
    }
}
