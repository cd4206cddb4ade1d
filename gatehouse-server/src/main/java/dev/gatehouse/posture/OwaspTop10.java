package dev.gatehouse.posture;

import java.util.List;

/**
 * The two OWASP lists the posture report is organised by, each item with the Gatehouse controls that
 * address it. Names as published: OWASP Top 10 Non-Human Identities Risks – 2025
 * (owasp.org/www-project-non-human-identities-top-10/2025/) and OWASP Top 10 for Agentic Applications
 * 2026 (genai.owasp.org, published 9 December 2025).
 */
public final class OwaspTop10 {
    public record Item(String id, String name, List<String> controls) {}

    public static final List<Item> NHI = List.of(
            new Item("NHI1", "Improper Offboarding", List.of(
                    "every workload and agent has an owning human; retiring the owner flags what they owned orphaned",
                    "retiring an owner or reassigning an identity revokes its client secrets and keys (tokens minted with them end)",
                    "dormant identities are reported and, with lifecycle.suspendDormant, suspended",
                    "access reviews: owners recertify, unanswered items are suspended (onMissed: suspend)")),
            new Item("NHI2", "Secret Leakage", List.of(
                    "client secrets are shown once and stored as SHA-256; secrets never enter logs, audit records or exports",
                    "the gateway inspects what agents send and receive for secrets and can redact results",
                    "upstream credentials are injected by the gateway and sealed at rest: agents never hold them")),
            new Item("NHI3", "Vulnerable Third-Party NHI", List.of(
                    "discovery imports GitHub App installations and cloud identities; unmanaged ones are findings until adopted",
                    "tool server features are quarantined until classified, and pinned: a changed definition is quarantined again",
                    "upstream credentials have rotation reminders")),
            new Item("NHI4", "Insecure Authentication", List.of(
                    "private_key_jwt (RFC 7523, single-use assertions) and federated workload identity instead of shared secrets",
                    "short-lived, task-scoped tokens bound to the credential that minted them",
                    "findings for production identities still using client secrets")),
            new Item("NHI5", "Overprivileged NHI", List.of(
                    "declared scope per identity, task scopes inside it, Cedar policy on every call for every hop",
                    "least privilege from usage: granted vs used, and the scope that would suffice",
                    "access reviews can reduce a scope at once")),
            new Item("NHI6", "Insecure Cloud Deployment Configurations", List.of(
                    "federated identity for CI and Kubernetes (no stored cloud keys)",
                    "discovery flags root access keys and auto-mounted legacy service-account tokens")),
            new Item("NHI7", "Long-Lived Secrets", List.of(
                    "task tokens live minutes; client secrets expire (default 90 days) and rotate with an overlap",
                    "maximum credential age per type (lifecycle.credentialMaxAgeDays), warnings before and at it, optional enforcement",
                    "rotation reminders for upstream credentials")),
            new Item("NHI8", "Environment Isolation", List.of(
                    "every identity declares its environment; policy sees context.request.environment",
                    "findings for non-production identities reaching tool servers production identities use")),
            new Item("NHI9", "NHI Reuse", List.of(
                    "one identity per workload or agent, each credential recorded with its last use",
                    "findings for identities whose several credentials are in use at once")),
            new Item("NHI10", "Human Use of NHI", List.of(
                    "humans act with their own approver tokens, never a workload's",
                    "the client software of each token request is recorded; a person's tool using a workload's secret is a finding")));

    public static final List<Item> AGENTIC = List.of(
            new Item("ASI01", "Agent Goal Hijack", List.of(
                    "tasks carry an intent and a scope fixed at issuance; the gateway refuses anything outside them",
                    "content inspection and taint: data read limits what can be sent out afterwards")),
            new Item("ASI02", "Tool Misuse and Exploitation", List.of(
                    "Cedar policy per tool call with effect, risk, destination and data classification",
                    "holds for human approval of exact calls; rate and volume limits; usage-based least privilege")),
            new Item("ASI03", "Identity and Privilege Abuse", List.of(
                    "every hop of a delegation chain is decided; delegated tokens never exceed their parent",
                    "credential-bound, short-lived tokens; orphaned, shared and human-used identities are findings")),
            new Item("ASI04", "Agentic Supply Chain Vulnerabilities", List.of(
                    "tool servers approved by trust level; features quarantined until classified and pinned against rug pulls",
                    "unmanaged third-party identities are discovered and reported")),
            new Item("ASI05", "Unexpected Code Execution (RCE)", List.of(
                    "execute is an effect of its own, granted explicitly; critical execute tools can be held for approval",
                    "findings for autonomous agents that may execute critical tools")),
            new Item("ASI06", "Memory & Context Poisoning", List.of(
                    "task and identity taint from what was read; first reads at a higher classification raise alerts")),
            new Item("ASI07", "Insecure Inter-Agent Communication", List.of(
                    "agent-to-agent hand-offs only by RFC 8693 token exchange, decided by policy (delegate), depth-limited")),
            new Item("ASI08", "Cascading Failures", List.of(
                    "per-identity and per-task rate and volume limits; suspension takes effect on the next call everywhere",
                    "volume anomaly alerts, optionally suspending")),
            new Item("ASI09", "Human-Agent Trust Exploitation", List.of(
                    "four-eyes approvals: an assistive agent's owner cannot approve its own agent's held calls",
                    "approvers see a masked summary and an exact digest of what will run")),
            new Item("ASI10", "Rogue Agents", List.of(
                    "per-identity baselines from the audit trail; new tools, destinations, volumes and hours raise alerts",
                    "dormant agents suspended; anomalies can suspend at once (anomalies.suspendOn)")));

    private OwaspTop10() {}
}
