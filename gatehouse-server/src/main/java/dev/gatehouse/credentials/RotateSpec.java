package dev.gatehouse.credentials;

import java.util.Map;

/**
 * A rotation: for a client secret, how long the previous secret keeps working
 * ({@code overlapSeconds}, default from configuration; 0 ends it at once); for
 * {@code private_key_jwt}, the new public {@code jwk}.
 */
public record RotateSpec(Integer overlapSeconds, Map<String, Object> jwk) {}
