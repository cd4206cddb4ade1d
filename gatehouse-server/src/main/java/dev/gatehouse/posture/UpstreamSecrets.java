package dev.gatehouse.posture;

import java.time.Instant;
import java.util.List;

/** The credentials the gateway injects upstream, as posture needs them: which server, and since when unchanged. Never the secret. */
@FunctionalInterface
public interface UpstreamSecrets {
    UpstreamSecrets NONE = List::of;

    List<UpstreamSecret> list();

    record UpstreamSecret(String server, String type, long version, Instant updatedAt) {}
}
