package dev.gatehouse.credentials;

import java.util.List;

/**
 * The signing keys Gatehouse generates and keeps (private parts sealed at rest). Rotation makes a
 * new key sign at once; earlier keys keep verifying until the last token they could have signed
 * has expired, then leave the JWKS.
 */
public interface SigningKeys extends Signer {
    List<SigningKey> list();

    SigningKey rotate(String actor);
}
