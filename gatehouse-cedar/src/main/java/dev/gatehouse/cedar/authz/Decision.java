package dev.gatehouse.cedar.authz;

/** The authorizer's answer. Deny is the default: without a satisfied permit, or with a satisfied forbid. */
public enum Decision {
    /** A permit is satisfied and no forbid is. */
    ALLOW,
    /** A forbid is satisfied, or no permit is. */
    DENY
}
