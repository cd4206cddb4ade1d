package dev.gatehouse.audit;

import java.util.Map;

/**
 * Signs checkpoint payloads. Kept this small so the local key below can be replaced by the
 * credentials package's signing keys (or an HSM/KMS) without touching the audit log.
 */
public interface CheckpointSigner {
    /** Key id placed in the JWS header and in the JWKS. */
    String keyId();

    /** A compact JWS (RFC 7515, ES256) over {@code payload} with {@code kid} = {@link #keyId()}. */
    String sign(byte[] payload);

    /** The verification key as a public JWK (RFC 7517) JSON object, never private members. */
    Map<String, Object> publicJwk();
}
