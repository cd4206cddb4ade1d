package dev.gatehouse.posture.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl get serviceaccounts -A -o json}: a {@code List} of {@code ServiceAccount} objects. Each is
 * recorded under the name its tokens carry as {@code sub} ({@code system:serviceaccount:<namespace>:<name>}),
 * so an adopted service account can later be bound to a federated credential of the cluster's issuer.
 */
final class KubernetesServiceAccounts implements ExportParser {
    static final String FORMAT = "kubernetes-serviceaccounts";
    /** Annotations that name a cloud identity the service account assumes (its cloud permissions). */
    private static final List<String> CLOUD_ROLE = List.of("eks.amazonaws.com/role-arn", "iam.gke.io/gcp-service-account",
            "azure.workload.identity/client-id");

    @Override
    public String format() { return FORMAT; }

    @Override
    public List<Discovered> parse(String content, Instant now) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(content);
        } catch (IOException e) {
            throw new Problem.Invalid("content", "not JSON: expected the output of kubectl get serviceaccounts -A -o json");
        }
        if (root == null || !root.path("items").isArray()) {
            throw new Problem.Invalid("content", "not a Kubernetes list: expected {\"kind\":\"List\",\"items\":[…]} from kubectl get serviceaccounts -A -o json");
        }
        List<Discovered> out = new ArrayList<>();
        int n = 0;
        for (JsonNode item : root.get("items")) {
            if (!"ServiceAccount".equals(item.path("kind").asText(root.path("kind").asText().equals("ServiceAccountList") ? "ServiceAccount" : ""))) {
                throw new Problem.Invalid("content", "items[" + n + "] is a " + item.path("kind").asText("(no kind)") + ", not a ServiceAccount");
            }
            JsonNode meta = item.path("metadata");
            String name = meta.path("name").asText("");
            String namespace = meta.path("namespace").asText("");
            if (name.isEmpty() || namespace.isEmpty()) throw new Problem.Invalid("content", "items[" + n + "] has no metadata.name or metadata.namespace");
            Instant created = Facts.time(meta.path("creationTimestamp").asText(null));
            Map<String, Object> annotations = new LinkedHashMap<>();
            meta.path("annotations").properties().forEach(e -> {
                // last-applied-configuration repeats the whole object; it says nothing the other facts do not
                if (!e.getKey().equals("kubectl.kubernetes.io/last-applied-configuration")) annotations.put(e.getKey(), e.getValue().asText());
            });
            Map<String, Object> labels = new LinkedHashMap<>();
            meta.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            String cloudRole = null;
            for (String a : CLOUD_ROLE) if (annotations.containsKey(a)) cloudRole = (String) annotations.get(a);
            List<String> secrets = names(item.path("secrets"));
            JsonNode automount = item.path("automountServiceAccountToken");
            out.add(new Discovered("system:serviceaccount:" + namespace + ":" + name, namespace + "/" + name, Facts.of(
                    "namespace", namespace, "name", name, "uid", meta.path("uid").asText(null),
                    "createdAt", Facts.iso(created), "ageDays", Facts.ageDays(created, now),
                    // Unset means Kubernetes mounts a token into every pod of the service account.
                    "automountServiceAccountToken", automount.isBoolean() ? automount.asBoolean() : null,
                    "tokenSecrets", secrets, "imagePullSecrets", names(item.path("imagePullSecrets")),
                    "cloudRole", cloudRole, "annotations", annotations.isEmpty() ? null : annotations,
                    "labels", labels.isEmpty() ? null : labels, "defaultAccount", name.equals("default"))));
            n++;
        }
        return out;
    }

    private static List<String> names(JsonNode refs) {
        List<String> out = new ArrayList<>();
        refs.forEach(r -> { if (r.hasNonNull("name")) out.add(r.get("name").asText()); });
        return out;
    }
}
