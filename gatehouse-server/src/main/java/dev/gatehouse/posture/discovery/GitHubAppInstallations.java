package dev.gatehouse.posture.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GitHub's "list app installations for an organization" ({@code GET /orgs/{org}/installations}):
 * {@code {"total_count": n, "installations": [ … ]}}; a bare array of installations (e.g. pages joined
 * with {@code jq}) is accepted too. Each installation is a third-party identity with standing
 * permissions on the organisation's repositories.
 */
final class GitHubAppInstallations implements ExportParser {
    static final String FORMAT = "github-app-installations";

    @Override
    public String format() { return FORMAT; }

    @Override
    public List<Discovered> parse(String content, Instant now) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(content);
        } catch (IOException e) {
            throw new Problem.Invalid("content", "not JSON: expected the answer of GET /orgs/{org}/installations");
        }
        JsonNode installations = root != null && root.isArray() ? root : root == null ? null : root.get("installations");
        if (installations == null || !installations.isArray()) {
            throw new Problem.Invalid("content", "not a GitHub installations list: expected {\"total_count\":…,\"installations\":[…]}");
        }
        List<Discovered> out = new ArrayList<>();
        int n = 0;
        for (JsonNode i : installations) {
            if (!i.path("id").isNumber() || !i.hasNonNull("app_slug")) {
                throw new Problem.Invalid("content", "installations[" + n + "] has no numeric id or app_slug");
            }
            String account = i.path("account").path("login").asText("");
            Map<String, Object> permissions = new TreeMap<>();
            List<String> writes = new ArrayList<>();
            i.path("permissions").properties().forEach(e -> {
                permissions.put(e.getKey(), e.getValue().asText());
                if (e.getValue().asText().equals("write") || e.getValue().asText().equals("admin")) writes.add(e.getKey());
            });
            List<String> events = new ArrayList<>();
            i.path("events").forEach(e -> events.add(e.asText()));
            Instant created = Facts.time(i.path("created_at").asText(null));
            out.add(new Discovered("github-app-installation:" + i.get("id").asLong(), i.get("app_slug").asText() + "@" + account, Facts.of(
                    "installationId", i.get("id").asLong(), "appId", i.path("app_id").isNumber() ? i.get("app_id").asLong() : null,
                    "appSlug", i.get("app_slug").asText(), "account", account, "targetType", i.path("target_type").asText(null),
                    "repositorySelection", i.path("repository_selection").asText(null), "permissions", permissions,
                    "writePermissions", writes, "events", events, "createdAt", Facts.iso(created), "ageDays", Facts.ageDays(created, now),
                    "updatedAt", Facts.iso(Facts.time(i.path("updated_at").asText(null))),
                    "suspendedAt", Facts.iso(Facts.time(i.path("suspended_at").asText(null))))));
            n++;
        }
        return out;
    }
}
