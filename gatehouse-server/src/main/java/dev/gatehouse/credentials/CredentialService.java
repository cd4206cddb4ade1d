package dev.gatehouse.credentials;

import java.util.List;

/**
 * Client credentials of workloads and agents: added, listed (without secrets), rotated and revoked.
 * {@code actor} is who asks, recorded with each change.
 */
public interface CredentialService {
    IssuedCredential add(String identityId, CredentialSpec spec, String actor);

    List<ClientCredential> list(String identityId);

    IssuedCredential rotate(String identityId, String credentialId, RotateSpec spec, String actor);

    ClientCredential revoke(String identityId, String credentialId, String actor);
}
