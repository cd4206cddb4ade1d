package dev.gatehouse.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The definition of a feature as an admin approved it (name, description, schema, annotations:
 * what a model reads and what shapes its call), against the one the upstream shows now. A
 * definition that changes after approval — a "rug pull": new instructions in a description, a
 * widened schema — puts the feature back in quarantine until someone approves it again.
 *
 * @param digest        SHA-256 of the approved definition; null when approved before it was ever seen
 *                      (the first definition seen is then pinned)
 * @param seenDigest    SHA-256 of the definition the upstream showed last
 * @param seenAt        when the upstream last showed a definition different from the pinned one, or null
 * @param changedFields the definition's fields that differ from the approved one ({@code description},
 *                      {@code inputSchema}, …), empty when they agree
 * @param fields        digest of each field of the approved definition (to name what changed)
 * @param inputSchema   the JSON Schema of the arguments as last seen (a tool's {@code inputSchema}; a prompt's
 *                      arguments as string properties), or null: what types {@code context.input} in policies
 * @param suggested     what the upstream's annotations suggest as classification (never applied by itself), or null
 */
public record Pin(String digest, String seenDigest, Instant seenAt, List<String> changedFields,
                  @JsonIgnore Map<String, String> fields, JsonNode inputSchema, Suggestion suggested) {
    public Pin {
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /** The pin of a definition just approved (or first seen after approval). */
    public static Pin of(ObservedFeature seen) {
        return new Pin(seen.digest(), seen.digest(), null, List.of(), seen.fieldDigests(), seen.inputSchema(), seen.suggested());
    }

    /** This pin after the upstream showed {@code seen}: agreeing, or changed (and which fields). */
    public Pin seen(ObservedFeature seen, Instant at) {
        if (digest == null) return of(seen);
        // A definition re-approved after a change is pinned without its fields; the next sighting supplies them.
        if (digest.equals(seen.digest())) {
            return new Pin(digest, digest, null, List.of(), fields.isEmpty() ? seen.fieldDigests() : fields, seen.inputSchema(), seen.suggested());
        }
        java.util.TreeSet<String> changed = new java.util.TreeSet<>();
        for (String f : fields.keySet()) if (!fields.get(f).equals(seen.fieldDigests().get(f))) changed.add(f);
        for (String f : seen.fieldDigests().keySet()) if (!fields.containsKey(f)) changed.add(f);
        return new Pin(digest, seen.digest(), at, List.copyOf(changed), fields, seen.inputSchema(), seen.suggested());
    }

    /** The same pin approving the definition seen last (an admin classified the feature again). */
    public Pin approved() {
        return new Pin(seenDigest, seenDigest, null, List.of(), changed() ? Map.of() : fields, inputSchema, suggested);
    }

    /** True when the upstream now shows a definition other than the approved one. */
    @JsonIgnore
    public boolean changed() { return digest != null && seenDigest != null && !digest.equals(seenDigest); }
}
