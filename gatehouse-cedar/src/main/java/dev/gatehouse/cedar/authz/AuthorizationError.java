package dev.gatehouse.cedar.authz;

/** A policy whose evaluation failed for this request; it was skipped (neither permitted nor forbade). */
public record AuthorizationError(String policyId, String message) {
}
