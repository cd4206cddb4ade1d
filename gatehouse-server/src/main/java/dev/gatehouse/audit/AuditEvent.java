package dev.gatehouse.audit;

import java.util.List;
import java.util.Map;

/**
 * One security-relevant event, as features emit it. The audit log adds sequence number, time
 * and hash-chain fields when it appends it. Never put secret material (tokens, client secrets,
 * keys, raw payloads) in any field: digests, sizes, classifications and finding types only.
 *
 * @param type        dotted event type, e.g. {@code identity.suspend}, {@code token.issued}, {@code policy.decision}
 * @param category    privileged (changes, issuance, write/execute, approvals) or access (reads, ordinary decisions)
 * @param outcome     {@code success} | {@code failure} | {@code allow} | {@code deny} | {@code hold}
 * @param actor       who performed it: {@code admin-token:<id>}, {@code identity:<id>}, {@code system}
 * @param subject     the identity concerned (principal of a decision, owner of a token), or null
 * @param subjectKind {@code human} | {@code workload} | {@code agent}, or null
 * @param owner       the subject's owning human, or null
 * @param onBehalfOf  the human on whose behalf an agent acts, or null
 * @param chain       delegation chain (identity ids, first = original delegator), empty when none
 * @param task        task id, or null
 * @param tokenId     token {@code jti}, or null
 * @param action      Cedar action or operation name, or null
 * @param resource    resource id (tool id, identity id …), or null
 * @param policies    determining policy ids, empty when none
 * @param policyVersion active policy version used, or null
 * @param reason      machine-readable reason code or human reason text (never secrets)
 * @param detail      further structured, secret-free attributes
 */
public record AuditEvent(
        String type,
        Category category,
        String outcome,
        String actor,
        String subject,
        String subjectKind,
        String owner,
        String onBehalfOf,
        List<String> chain,
        String task,
        String tokenId,
        String action,
        String resource,
        List<String> policies,
        String policyVersion,
        String reason,
        Map<String, Object> detail) {

    public enum Category {
        PRIVILEGED, ACCESS;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public AuditEvent {
        chain = chain == null ? List.of() : List.copyOf(chain);
        policies = policies == null ? List.of() : List.copyOf(policies);
        detail = detail == null ? Map.of() : Map.copyOf(detail);
    }

    /** Starts an event of {@code type}; set the rest with the {@code with…} methods. */
    public static AuditEvent of(String type, Category category, String outcome, String actor) {
        return new AuditEvent(type, category, outcome, actor, null, null, null, null, List.of(), null, null, null,
                null, List.of(), null, null, Map.of());
    }

    public AuditEvent withSubject(String subject, String subjectKind, String owner) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }

    public AuditEvent withDelegation(String onBehalfOf, List<String> chain) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }

    public AuditEvent withTask(String task, String tokenId) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }

    public AuditEvent withAction(String action, String resource) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }

    public AuditEvent withPolicy(List<String> policies, String policyVersion) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }

    public AuditEvent withReason(String reason) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }

    public AuditEvent withDetail(Map<String, Object> detail) {
        return new AuditEvent(type, category, outcome, actor, subject, subjectKind, owner, onBehalfOf, chain, task, tokenId,
                action, resource, policies, policyVersion, reason, detail);
    }
}
