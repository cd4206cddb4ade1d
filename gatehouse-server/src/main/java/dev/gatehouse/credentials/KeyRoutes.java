package dev.gatehouse.credentials;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Json;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Public key material and server metadata ({@code /.well-known/jwks.json}, RFC 8414
 * {@code /.well-known/oauth-authorization-server}) and the admin key operations ({@code /v1/keys}).
 */
public final class KeyRoutes {
    private final SigningKeys keys;
    private final Supplier<String> issuer;
    private final AuditLog audit;

    public KeyRoutes(SigningKeys keys, Supplier<String> issuer, AuditLog audit) {
        this.keys = keys;
        this.issuer = issuer;
        this.audit = audit;
    }

    public void register(Router r) {
        r.get("/.well-known/jwks.json", Access.PUBLIC, "Public keys that verify Gatehouse tokens and signatures (RFC 7517)",
                req -> ApiResponse.bytes(200, "application/jwk-set+json", Json.MAPPER.writeValueAsBytes(keys.jwks())));
        r.get("/.well-known/oauth-authorization-server", Access.PUBLIC, "Authorization server metadata (RFC 8414)",
                req -> ApiResponse.ok(metadata(issuer.get())));
        r.get("/v1/keys", Access.READ, "List signing keys (public parts and lifecycle only)",
                req -> ApiResponse.ok(Map.of("items", keys.list())));
        r.post("/v1/keys/rotate", Access.WRITE, "Rotate the signing key: a new key signs, earlier keys verify until their tokens expire", req -> {
            SigningKey created = keys.rotate(req.caller().actor());
            audit.record(AuditEvent.of("key.rotated", AuditEvent.Category.PRIVILEGED, "success", req.caller().actor())
                    .withAction("key.rotate", created.kid()));
            return ApiResponse.created(created);
        });
    }

    static Map<String, Object> metadata(String iss) {
        List<String> assertionAlgs = List.of("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");
        return Map.ofEntries(
                Map.entry("issuer", iss),
                Map.entry("token_endpoint", iss + "/oauth2/token"),
                Map.entry("jwks_uri", iss + "/.well-known/jwks.json"),
                Map.entry("introspection_endpoint", iss + "/oauth2/introspect"),
                Map.entry("revocation_endpoint", iss + "/oauth2/revoke"),
                // No authorization endpoint: Gatehouse serves machine clients only.
                Map.entry("response_types_supported", List.of()),
                Map.entry("grant_types_supported", List.of("client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange")),
                Map.entry("token_endpoint_auth_methods_supported", authMethods),
                Map.entry("token_endpoint_auth_signing_alg_values_supported", assertionAlgs),
                Map.entry("introspection_endpoint_auth_methods_supported", authMethods),
                Map.entry("revocation_endpoint_auth_methods_supported", authMethods));
    }
}
