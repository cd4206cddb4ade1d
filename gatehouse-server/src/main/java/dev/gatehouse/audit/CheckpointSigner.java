package dev.gatehouse.audit;

import java.util.Map;

/**
 * Signs checkpoint payloads. Deliberately not the credentials package's token-signing keys: those
 * leave the JWKS minutes after rotation (tokens are short-lived), while a checkpoint must stay
 * verifiable offline for as long as the audit trail is kept. Kept this small so an HSM/KMS can
 * replace the local key without touching the audit log.
 */
public interface CheckpointSigner {
    /** Key id placed in the JWS header and in the JWKS. */
    String keyId();

    /** A compact JWS (RFC 7515, ES256) over {@code payload} with {@code kid} = {@link #keyId()}. */
    String sign(byte[] payload);

    /** The verification key as a public JWK (RFC 7517) JSON object, never private members. */
    Map<String, Object> publicJwk();
}
