package dev.gatehouse.posture;

import java.time.Instant;
import java.util.List;

/**
 * The static credentials the gateway injects upstream, as posture needs them: which server, whom it is bound to
 * ({@code identity} or {@code owner}; both null: the whole server), and since when unchanged. Never the secret.
 */
@FunctionalInterface
public interface UpstreamSecrets {
    UpstreamSecrets NONE = List::of;

    List<UpstreamSecret> list();

    record UpstreamSecret(String server, String identity, String owner, String type, long version, Instant updatedAt) {
        /** How posture names it: {@code upstream:<server>}, with {@code :identity:<id>} or {@code :owner:<id>} when bound. */
        public String label() {
            return "upstream:" + server + (identity != null ? ":identity:" + identity : owner != null ? ":owner:" + owner : "");
        }
    }
}
