package dev.gatehouse.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * An EC P-256 key kept as a JWK file under the data directory (owner-only permissions), created
 * on first start. Interim: the credentials package's key management replaces it behind
 * {@link CheckpointSigner}.
 */
public final class LocalKeyCheckpointSigner implements CheckpointSigner {
    public static final JOSEObjectType TYPE = new JOSEObjectType("gatehouse-audit-checkpoint+jws");

    private final ECKey key;
    private final ECDSASigner signer;

    private LocalKeyCheckpointSigner(ECKey key) {
        this.key = key;
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("audit signing key unusable", e);
        }
    }

    public static LocalKeyCheckpointSigner loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                ECKey key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                    throw new IllegalStateException("audit signing key " + file + " must be a private P-256 JWK");
                }
                return new LocalKeyCheckpointSigner(key);
            }
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; rely on the data directory's permissions
            }
            Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return new LocalKeyCheckpointSigner(key);
        } catch (IOException | java.text.ParseException | JOSEException e) {
            // The message names the file, never key material.
            throw new IllegalStateException("cannot load or create audit signing key " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String keyId() { return key.getKeyID(); }

    @Override
    public String sign(byte[] payload) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(TYPE).build(),
                new Payload(payload));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("checkpoint signing failed", e);
        }
        return jws.serialize();
    }

    @Override
    public Map<String, Object> publicJwk() { return key.toPublicJWK().toJSONObject(); }
}
