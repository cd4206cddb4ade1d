package dev.gatehouse.gateway;

import dev.gatehouse.credentials.VerifiedToken;
import dev.gatehouse.registry.Identity;
import java.util.List;
import java.util.Map;

/**
 * Who sends a message: the verified task token and the identities of its delegation chain, loaded
 * once per message and shared by every stage (decisions, holds, records).
 *
 * @param identities the chain's identities by id (an identity that vanished is absent: the PDP denies it)
 * @param onBehalfOf the human the task's identity acts for, or ""
 */
record Caller(VerifiedToken token, Map<String, Identity> identities, String onBehalfOf) {
    List<String> chain() { return token.chain(); }

    String holder() { return token.holder(); }

    Identity holderIdentity() { return identities.get(token.holder()); }

    /** The identity's kind as Cedar and AuthZEN name it; "agent" for one that vanished (denied by the PDP's guards). */
    String kindOf(String id) {
        Identity i = identities.get(id);
        return i == null ? "agent" : i.kind().wire();
    }
}
