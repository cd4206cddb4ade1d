package dev.gatehouse.approvals;

/** The one response that carries an approver token's value. */
public record IssuedApproverToken(ApproverToken info, String token) {}
