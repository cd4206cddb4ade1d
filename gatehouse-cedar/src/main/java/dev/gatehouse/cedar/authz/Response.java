package dev.gatehouse.cedar.authz;

import java.util.List;

/**
 * The authorizer's answer, as Cedar gives it.
 *
 * @param decision allow only when some permit is satisfied and no forbid is
 * @param reasons  the determining policies: the satisfied permits on allow, the satisfied forbids
 *                 on deny (empty on a default deny), in policy-set order
 * @param errors   the policies whose evaluation failed, in policy-set order; they were skipped
 */
public record Response(Decision decision, List<String> reasons, List<AuthorizationError> errors) {
    public Response {
        // the authorizer's own id list is already immutable; anything else is copied
        reasons = reasons instanceof PolicyIdList ? reasons : List.copyOf(reasons);
        errors = List.copyOf(errors);
    }

    public boolean isAllowed() {
        return decision == Decision.ALLOW;
    }
}
