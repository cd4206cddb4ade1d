package dev.gatehouse.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks of JWTs presented to Gatehouse by others (client assertions, federated tokens). Time is
 * checked here against the injected clock rather than by a library's wall clock, so tests control it.
 */
final class JwtAssertions {
    /** Asymmetric algorithms only: HMAC would let anyone holding the public key forge (the "HS256 with the public key" attack). */
    private static final Set<JWSAlgorithm> EC_ALGS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Set<JWSAlgorithm> RSA_ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    static final Duration SKEW = Duration.ofSeconds(30);

    private JwtAssertions() {}

    /** A signed JWT, or an {@code invalid_client}-style failure for anything else (including {@code alg: none}). */
    static SignedJWT parse(String value, String failure) {
        if (value == null || value.length() > 16_384) throw OAuthException.invalidClient(failure + ": missing or oversized");
        try {
            SignedJWT jwt = SignedJWT.parse(value);
            jwt.getJWTClaimsSet();
            return jwt;
        } catch (ParseException | RuntimeException e) {
            throw OAuthException.invalidClient(failure + ": not a signed JWT");
        }
    }

    static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidClient("claims do not parse");
        }
    }

    /** True when {@code key} verifies the signature with an algorithm that matches the key's type. */
    static boolean verifiedBy(SignedJWT jwt, JWK key) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            JWSVerifier verifier;
            if (key instanceof ECKey ec && EC_ALGS.contains(alg)) {
                verifier = new ECDSAVerifier(ec.toECPublicKey());
            } else if (key instanceof RSAKey rsa && RSA_ALGS.contains(alg)) {
                verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            } else {
                return false;
            }
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) return false;
            return jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Registered-claim checks: {@code exp} required and in the future, {@code nbf} and {@code iat}
     * not in the future (with {@link #SKEW}), {@code aud} naming one of {@code audiences}.
     * Returns the failure reason (for the audit log), or null when all hold.
     */
    static String timeAndAudience(JWTClaimsSet claims, Instant now, List<String> audiences) {
        Date exp = claims.getExpirationTime();
        if (exp == null) return "exp missing";
        if (!exp.toInstant().isAfter(now.minus(SKEW))) return "expired";
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) return "not yet valid";
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(SKEW))) return "issued in the future";
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) return "wrong audience";
        return null;
    }
}
