package dev.gatehouse.credentials;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Router;
import java.util.Map;

/** {@code /v1/identities/{id}/credentials}: add (a secret is in that response only), list, rotate, revoke. */
public final class CredentialRoutes {
    private final CredentialService credentials;

    public CredentialRoutes(CredentialService credentials) { this.credentials = credentials; }

    public void register(Router r) {
        r.post("/v1/identities/{id}/credentials", Access.WRITE,
                "Add a client credential (client_secret: the secret is in this response only; private_key_jwt; federated)",
                req -> ApiResponse.created(issued(credentials.add(req.pathParam("id"), req.body(CredentialSpec.class), req.caller().actor()))));
        r.get("/v1/identities/{id}/credentials", Access.READ, "List an identity's client credentials (never secrets)",
                req -> ApiResponse.ok(Map.of("items", credentials.list(req.pathParam("id")))));
        r.post("/v1/identities/{id}/credentials/{cid}/rotate", Access.WRITE,
                "Rotate a credential: a new client secret (previous one works for the overlap window) or a new public key",
                req -> ApiResponse.ok(issued(credentials.rotate(req.pathParam("id"), req.pathParam("cid"), rotateSpec(req), req.caller().actor()))));
        r.post("/v1/identities/{id}/credentials/{cid}/revoke", Access.WRITE, "Revoke a credential at once",
                req -> ApiResponse.ok(credentials.revoke(req.pathParam("id"), req.pathParam("cid"), req.caller().actor())));
    }

    private static RotateSpec rotateSpec(ApiRequest req) {
        return req.body().length == 0 ? new RotateSpec(null, null) : req.body(RotateSpec.class);
    }

    /** The credential's fields plus, when one was just generated, {@code secret}. */
    private static ObjectNode issued(IssuedCredential issued) {
        ObjectNode node = Json.MAPPER.valueToTree(issued.credential());
        if (issued.secret() != null) node.put("secret", issued.secret());
        return node;
    }
}
