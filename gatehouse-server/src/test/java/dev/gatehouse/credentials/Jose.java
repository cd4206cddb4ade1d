package dev.gatehouse.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;

/**
 * ES256 JWS verification written against the JDK only, independent of Nimbus, so tests check
 * Gatehouse's tokens the way an unrelated relying party would: JWKS from the well-known URL,
 * key by kid, signature over the exact signing input.
 */
final class Jose {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jose() {}

    static JsonNode header(String jws) throws Exception { return part(jws, 0); }

    static JsonNode claims(String jws) throws Exception { return part(jws, 1); }

    private static JsonNode part(String jws, int i) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jws.split("\\.")[i]));
    }

    /** True when {@code jws} is ES256-signed by the key of its kid in {@code jwks}. */
    static boolean verifiesWith(String jws, JsonNode jwks) throws Exception {
        String[] parts = jws.split("\\.");
        JsonNode header = header(jws);
        if (!"ES256".equals(header.path("alg").asText())) return false;
        for (JsonNode key : jwks.path("keys")) {
            if (!key.path("kid").asText().equals(header.path("kid").asText())) continue;
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(ecPublicKey(key));
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
        }
        return false;
    }

    private static PublicKey ecPublicKey(JsonNode jwk) throws Exception {
        if (!"EC".equals(jwk.path("kty").asText()) || !"P-256".equals(jwk.path("crv").asText())) {
            throw new IllegalArgumentException("not a P-256 key");
        }
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("x").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("y").asText())));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
    }
}
