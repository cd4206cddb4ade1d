package dev.gatehouse.credentials;

import java.util.Map;

/**
 * Signs and verifies compact JWS (RFC 7515) with Gatehouse's own signing keys, and publishes
 * their public halves. Other features use it for anything a third party must be able to check
 * offline against {@code /.well-known/jwks.json}, such as audit checkpoints.
 */
public interface Signer {
    /** A compact JWS over {@code payload}, signed by the active key; {@code type} is the {@code typ} header (e.g. {@code at+jwt}). */
    String sign(String type, byte[] payload);

    /**
     * The payload of a compact JWS this server signed with a key still published, whose {@code typ}
     * is {@code type}. Throws {@link InvalidSignature} for anything else (another algorithm,
     * {@code alg: none}, unknown or retired key, forged signature).
     */
    byte[] verify(String compactJws, String type);

    /** The public JWK Set (RFC 7517) of every key that signs or still verifies. */
    Map<String, Object> jwks();

    /** The signature could not be verified; deliberately without detail (it reaches attackers). */
    final class InvalidSignature extends RuntimeException {
        public InvalidSignature() { super("invalid signature", null, false, false); }
    }
}
