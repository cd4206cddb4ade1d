package dev.gatehouse.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** RFC 7523 client assertions: how a client proves itself with its own key instead of a shared secret. */
public final class ClientAssertions {
    private ClientAssertions() {}

    /**
     * An assertion for {@code clientId} to the token endpoint {@code audience}, valid for one minute and
     * single-use (a fresh {@code jti}), signed with the private EC (ES256/384/512) or RSA (RS256) JWK.
     *
     * @throws IllegalArgumentException when the JWK is not a usable private key
     */
    public static String sign(String clientId, String audience, String privateJwk) {
        try {
            JWK key = JWK.parse(privateJwk);
            if (!key.isPrivate()) throw new IllegalArgumentException("the key must be the private key (a JWK with \"d\")");
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                    .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(60))).build();
            SignedJWT jwt;
            if (key instanceof ECKey ec) {
                JWSAlgorithm alg = ec.getCurve().getStdName().equals("secp384r1") ? JWSAlgorithm.ES384
                        : ec.getCurve().getStdName().equals("secp521r1") ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
                jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(ec.getKeyID()).build(), claims);
                jwt.sign(new ECDSASigner(ec));
            } else if (key instanceof RSAKey rsa) {
                jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims);
                jwt.sign(new RSASSASigner(rsa));
            } else {
                throw new IllegalArgumentException("the key must be an EC or RSA private JWK");
            }
            return jwt.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException("the key is not a usable JWK");
        }
    }
}
