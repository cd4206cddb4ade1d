package dev.gatehouse.posture;

import dev.gatehouse.credentials.ClientCredential;
import dev.gatehouse.credentials.CredentialService;
import dev.gatehouse.credentials.CredentialType;
import dev.gatehouse.posture.activity.ActivityLedger;
import dev.gatehouse.posture.activity.Usage;
import dev.gatehouse.posture.activity.UsageKind;
import dev.gatehouse.posture.activity.UsageService;
import dev.gatehouse.posture.alerts.Alert;
import dev.gatehouse.posture.alerts.AlertService;
import dev.gatehouse.posture.discovery.DiscoveredIdentity;
import dev.gatehouse.posture.discovery.DiscoveryService;
import dev.gatehouse.registry.Feature;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.ScopePatterns;
import dev.gatehouse.registry.ToolServer;
import dev.gatehouse.registry.Vocabulary.UpstreamAuth;
import dev.gatehouse.registry.Vocabulary.Autonomy;
import dev.gatehouse.registry.Vocabulary.Effect;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.registry.Vocabulary.Risk;
import dev.gatehouse.registry.Vocabulary.Trust;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The posture report: live findings about identities, credentials, tool servers and discovered
 * identities, computed from the inventory, the credential store, the activity rollups of the audit
 * trail and the alerts, and organised by the OWASP NHI Top 10 and Agentic Top 10.
 */
public final class PostureService {
    /** User-Agent products of tools people drive by hand; a workload's token requested with one is human use. */
    static final Set<String> INTERACTIVE_CLIENTS = Set.of("gatehouse-cli", "curl", "Wget", "Mozilla", "PostmanRuntime", "insomnia", "HTTPie",
            "httpie");
    private static final Duration NEVER_USED_GRACE = Duration.ofDays(30);
    private static final int MAX_LISTED = 1000;

    private final RegistryService registry;
    private final CredentialService credentials;
    private final UsageService usage;
    private final ActivityLedger ledger;
    private final AlertService alerts;
    private final DiscoveryService discovery;
    private final UpstreamSecrets upstream;
    private final LifecyclePolicy policy;
    private final Clock clock;

    public PostureService(RegistryService registry, CredentialService credentials, UsageService usage, ActivityLedger ledger,
                          AlertService alerts, DiscoveryService discovery, UpstreamSecrets upstream, LifecyclePolicy policy, Clock clock) {
        this.registry = registry;
        this.credentials = credentials;
        this.usage = usage;
        this.ledger = ledger;
        this.alerts = alerts;
        this.discovery = discovery;
        this.upstream = upstream;
        this.policy = policy;
        this.clock = clock;
    }

    public PostureReport report() {
        Instant now = clock.instant();
        Instant windowStart = now.minus(Duration.ofDays(policy.usageDays()));
        String fromDay = ActivityLedger.day(windowStart);
        List<Identity> all = registry.listAll();
        Map<String, Identity> byId = new HashMap<>();
        for (Identity i : all) byId.put(i.id(), i);
        List<Identity> governed = all.stream().filter(i -> i.kind().isNonHuman() && i.status() != IdentityStatus.RETIRED).toList();
        List<ToolServer> servers = registry.listToolServers();

        List<Finding> findings = new ArrayList<>();
        List<PostureReport.CredentialAge> ages = new ArrayList<>();
        for (Identity i : governed) {
            ownership(i, byId, findings);
            dormancy(i, now, findings);
            credentialFindings(i, now, findings, ages);
            autonomousExecute(i, servers, findings);
        }
        Map<String, Usage> used = usage.all(governed, policy.usageDays());
        List<PostureReport.UsageFigure> usageFigures = new ArrayList<>();
        for (Identity i : governed) {
            Usage u = used.get(i.id());
            if (u == null) continue;
            usageFigures.add(new PostureReport.UsageFigure(i.id(), i.owner(), u.granted().tools().size(), u.used().tools().size(),
                    u.unused().tools().size()));
            // Too young to judge: it has not had a whole window to use its grant.
            if (u.overPrivileged() && i.createdAt().isBefore(windowStart) && i.status() == IdentityStatus.ACTIVE) {
                findings.add(Finding.of(FindingType.OVER_PRIVILEGED, i.id(), i.owner(), Severity.MEDIUM, detail(
                        "days", policy.usageDays(), "unused", u.unused(), "used", u.used(), "suggestedScope", u.suggestedScope())));
            }
        }
        activityFindings(byId, fromDay, findings);
        for (Alert a : alerts.list(null, null, windowStart, MAX_LISTED)) {
            Identity i = byId.get(a.identity());
            findings.add(Finding.of(FindingType.ANOMALY, a.identity(), i == null ? null : i.owner(), Severity.parse(a.severity()),
                    detail("alert", a.id(), "alertType", a.type().wire(), "occurredAt", a.occurredAt().toString(), "facts", a.detail()))
                    .alsoAgainst(List.of(), anomalyItems(a.type().wire())));
        }
        List<DiscoveredIdentity> unmanaged = discovery.list("unmanaged", null, MAX_LISTED);
        for (DiscoveredIdentity d : unmanaged) discovered(d, findings);
        toolServers(servers, findings);
        List<UpstreamSecrets.UpstreamSecret> secrets = upstream.list();
        upstreamCredentials(now, secrets, findings, ages);
        for (Identity i : governed) staticUpstreamSecrets(i, servers, secrets, findings);

        findings.sort(Comparator.comparing((Finding f) -> f.severity()).reversed()
                .thenComparing(f -> f.type().wire()).thenComparing(f -> f.identity() == null ? "" : f.identity()));
        return new PostureReport(now, findings, owasp(OwaspTop10.NHI, findings, true), owasp(OwaspTop10.AGENTIC, findings, false),
                summary(governed.size(), unmanaged.size(), findings, ages, usageFigures));
    }

    // --- identities

    private void ownership(Identity i, Map<String, Identity> byId, List<Finding> findings) {
        Identity owner = i.owner() == null ? null : byId.get(i.owner());
        if (i.orphaned() || owner == null || owner.status() != IdentityStatus.ACTIVE) {
            findings.add(Finding.of(FindingType.ORPHANED, i.id(), i.owner(), Severity.HIGH,
                    detail("owner", i.owner(), "ownerStatus", owner == null ? "unknown" : owner.status().wire())));
        }
    }

    private void dormancy(Identity i, Instant now, List<Finding> findings) {
        if (policy.dormantAfter().isZero() || i.status() != IdentityStatus.ACTIVE) return;
        Instant seen = i.lastSeen() != null ? i.lastSeen() : i.createdAt();
        if (seen.isBefore(now.minus(policy.dormantAfter()))) {
            findings.add(Finding.of(FindingType.DORMANT, i.id(), i.owner(), Severity.MEDIUM, detail("lastSeen", i.lastSeen() == null ? null
                    : i.lastSeen().toString(), "unseenDays", Duration.between(seen, now).toDays(), "dormantAfterDays", policy.dormantAfter().toDays(),
                    "suspends", policy.suspendDormant())));
        }
    }

    private void credentialFindings(Identity i, Instant now, List<Finding> findings, List<PostureReport.CredentialAge> ages) {
        List<ClientCredential> active = credentials.list(i.id()).stream().filter(c -> c.status().equals("active")).toList();
        int inUse = 0;
        for (ClientCredential c : active) {
            Instant since = LifecyclePolicy.since(c);
            long ageDays = Duration.between(since, now).toDays();
            ages.add(new PostureReport.CredentialAge(i.id(), i.owner(), c.id(), c.type().wire(), ageDays, c.lastUsed()));
            var maxAge = policy.maxAgeReached(c);
            var deadline = policy.deadline(c);
            if (maxAge.isPresent() && !now.isBefore(maxAge.get())) {
                findings.add(Finding.of(FindingType.LONG_LIVED_SECRET, i.id(), i.owner(), Severity.HIGH, detail("credential", c.id(),
                        "credentialType", c.type().wire(), "ageDays", ageDays, "maxAgeDays", policy.maxAge(c.type()).toDays(),
                        "rotated", c.rotatedAt() != null)));
            } else if (deadline.isPresent() && !now.isBefore(deadline.get().minus(policy.warnBefore()))) {
                findings.add(Finding.of(FindingType.ROTATION_DUE, i.id(), i.owner(), Severity.LOW, detail("credential", c.id(),
                        "credentialType", c.type().wire(), "ageDays", ageDays, "due", deadline.get().toString())));
            }
            boolean neverUsed = c.lastUsed() == null && c.createdAt().isBefore(now.minus(NEVER_USED_GRACE));
            boolean longUnused = c.lastUsed() != null && !policy.dormantAfter().isZero() && c.lastUsed().isBefore(now.minus(policy.dormantAfter()));
            if (neverUsed || longUnused) {
                findings.add(Finding.of(FindingType.UNUSED_CREDENTIAL, i.id(), i.owner(), Severity.MEDIUM, detail("credential", c.id(),
                        "credentialType", c.type().wire(), "lastUsed", c.lastUsed() == null ? null : c.lastUsed().toString(), "ageDays", ageDays)));
            }
            if (c.lastUsed() != null && c.lastUsed().isAfter(now.minus(Duration.ofDays(policy.usageDays())))) inUse++;
        }
        if (inUse >= 2) {
            findings.add(Finding.of(FindingType.SHARED_IDENTITY, i.id(), i.owner(), Severity.MEDIUM, detail("credentialsInUse", inUse,
                    "days", policy.usageDays())));
        }
        if ("prod".equals(i.environment()) && !active.isEmpty() && active.stream().allMatch(c -> c.type() == CredentialType.CLIENT_SECRET)) {
            findings.add(Finding.of(FindingType.SECRET_BASED_AUTHENTICATION, i.id(), i.owner(), Severity.LOW, detail("credentials", active.size())));
        }
    }

    private void autonomousExecute(Identity i, List<ToolServer> servers, List<Finding> findings) {
        if (i.kind() != IdentityKind.AGENT || i.autonomy() != Autonomy.AUTONOMOUS || i.scope() == null
                || !i.scope().effects().contains(Effect.EXECUTE)) return;
        List<String> critical = new ArrayList<>();
        for (ToolServer s : servers) {
            for (Feature f : s.features()) {
                if (f.effect() == Effect.EXECUTE && f.risk() == Risk.CRITICAL && f.quarantine() == Feature.Quarantine.NONE
                        && i.scope().covers(f.scopeId(s.id()))) critical.add(f.scopeId(s.id()));
            }
        }
        if (!critical.isEmpty()) {
            findings.add(Finding.of(FindingType.AUTONOMOUS_EXECUTE, i.id(), i.owner(), Severity.MEDIUM, detail("tools", critical)));
        }
    }

    /** Findings the audit shows: people's tools using workloads' tokens, secrets sent out, environments crossed. */
    private void activityFindings(Map<String, Identity> byId, String fromDay, List<Finding> findings) {
        Map<String, Set<String>> interactive = new TreeMap<>();
        for (ActivityLedger.UsageRow r : ledger.usage(null, UsageKind.CLIENT, fromDay)) {
            if (INTERACTIVE_CLIENTS.contains(r.item())) interactive.computeIfAbsent(r.identity(), k -> new TreeSet<>()).add(r.item());
        }
        interactive.forEach((id, clients) -> {
            Identity i = byId.get(id);
            if (i == null || !i.kind().isNonHuman()) return;
            findings.add(Finding.of(FindingType.HUMAN_USE_OF_NHI, id, i.owner(), Severity.HIGH, detail("clients", List.copyOf(clients),
                    "since", fromDay)));
        });
        Map<String, Map<String, Long>> secrets = new TreeMap<>();
        for (ActivityLedger.UsageRow r : ledger.usage(null, UsageKind.FINDING, fromDay)) {
            if (r.item().startsWith("secret.")) secrets.computeIfAbsent(r.identity(), k -> new TreeMap<>()).merge(r.item(), r.calls(), Long::sum);
        }
        secrets.forEach((id, types) -> {
            Identity i = byId.get(id);
            findings.add(Finding.of(FindingType.SECRET_IN_TRAFFIC, id, i == null ? null : i.owner(), Severity.HIGH,
                    detail("findingTypes", types, "since", fromDay)));
        });
        Map<String, Set<String>> usersByServer = new HashMap<>();
        for (ActivityLedger.UsageRow r : ledger.usage(null, UsageKind.SERVER, fromDay)) {
            usersByServer.computeIfAbsent(r.item(), k -> new HashSet<>()).add(r.identity());
        }
        Map<String, Set<String>> crossings = new TreeMap<>();
        usersByServer.forEach((server, users) -> {
            boolean prodUses = users.stream().map(byId::get).anyMatch(i -> i != null && "prod".equals(i.environment()));
            if (!prodUses) return;
            for (String u : users) {
                Identity i = byId.get(u);
                if (i != null && i.environment() != null && !"prod".equals(i.environment())) {
                    crossings.computeIfAbsent(u, k -> new TreeSet<>()).add(server);
                }
            }
        });
        crossings.forEach((id, reached) -> {
            Identity i = byId.get(id);
            findings.add(Finding.of(FindingType.ENVIRONMENT_CROSSING, id, i.owner(), Severity.MEDIUM,
                    detail("environment", i.environment(), "productionServers", List.copyOf(reached))));
        });
    }

    private static List<String> anomalyItems(String alertType) {
        return switch (alertType) {
            case "new_tool", "new_server", "new_destination" -> List.of("ASI02");
            case "volume" -> List.of("ASI08");
            case "classification_escalation" -> List.of("ASI06");
            default -> List.of();
        };
    }

    // --- discovered identities

    private void discovered(DiscoveredIdentity d, List<Finding> findings) {
        String id = "discovered:" + d.id();
        Map<String, Object> facts = d.facts();
        findings.add(Finding.of(FindingType.UNMANAGED_IDENTITY, id, null, Severity.HIGH,
                detail("name", d.name(), "source", d.source(), "externalId", d.externalId(), "lastUsed", facts.get("lastUsed"))));
        switch (d.source()) {
            case "aws-iam-credential-report" -> {
                long maxDays = policy.maxClientSecretAge().toDays();
                if (facts.get("oldestActiveKeyAgeDays") instanceof Number age && maxDays > 0 && age.longValue() >= maxDays) {
                    findings.add(Finding.of(FindingType.LONG_LIVED_SECRET, id, null, Severity.HIGH, detail("name", d.name(),
                            "credentialType", "aws_access_key", "ageDays", age.longValue(), "maxAgeDays", maxDays)));
                }
                if (Boolean.TRUE.equals(facts.get("rootAccount"))) {
                    findings.add(Finding.of(FindingType.INSECURE_CLOUD_CONFIGURATION, id, null, Severity.CRITICAL,
                            detail("name", d.name(), "problem", "the AWS root account has active access keys")));
                } else if (Boolean.TRUE.equals(facts.get("consolePassword"))) {
                    findings.add(Finding.of(FindingType.HUMAN_USE_OF_NHI, id, null, Severity.MEDIUM,
                            detail("name", d.name(), "problem", "an IAM user with access keys also has a console password",
                                    "mfaActive", facts.get("mfaActive"))));
                }
            }
            case "kubernetes-serviceaccounts" -> {
                if (!Boolean.FALSE.equals(facts.get("automountServiceAccountToken")) && facts.get("tokenSecrets") instanceof List<?> s && !s.isEmpty()) {
                    findings.add(Finding.of(FindingType.INSECURE_CLOUD_CONFIGURATION, id, null, Severity.MEDIUM, detail("name", d.name(),
                            "problem", "long-lived service-account token secrets, mounted into every pod (automountServiceAccountToken not false)",
                            "tokenSecrets", s)));
                }
            }
            case "github-app-installations" -> {
                if (facts.get("writePermissions") instanceof List<?> w && !w.isEmpty() && "all".equals(facts.get("repositorySelection"))) {
                    findings.add(Finding.of(FindingType.THIRD_PARTY_WRITE_ACCESS, id, null, Severity.MEDIUM, detail("name", d.name(),
                            "writePermissions", w, "repositorySelection", "all")));
                }
            }
            default -> { }
        }
    }

    // --- tool servers

    private static void toolServers(List<ToolServer> servers, List<Finding> findings) {
        for (ToolServer s : servers) {
            String id = "toolserver:" + s.id();
            if (s.trust() == Trust.UNAPPROVED) {
                findings.add(Finding.of(FindingType.UNAPPROVED_TOOL_SERVER, id, null, Severity.MEDIUM, detail("server", s.id())));
            }
            for (Feature f : s.features()) {
                String feature = f.scopeId(s.id());
                switch (f.quarantine()) {
                    case UNCLASSIFIED -> findings.add(Finding.of(FindingType.UNCLASSIFIED_TOOL, id, null, Severity.MEDIUM,
                            detail("feature", feature, "kind", f.kind().wire())));
                    case DEFINITION_CHANGED -> findings.add(Finding.of(FindingType.TOOL_DEFINITION_CHANGED, id, null, Severity.HIGH,
                            detail("feature", feature, "changedFields", f.pin().changedFields())));
                    case NONE -> {
                        if (f.pin() == null) findings.add(Finding.of(FindingType.UNPINNED_TOOL, id, null, Severity.LOW, detail("feature", feature)));
                    }
                }
            }
        }
    }

    private void upstreamCredentials(Instant now, List<UpstreamSecrets.UpstreamSecret> secrets, List<Finding> findings,
                                     List<PostureReport.CredentialAge> ages) {
        Duration max = policy.maxUpstreamAge();
        for (UpstreamSecrets.UpstreamSecret u : secrets) {
            long ageDays = Duration.between(u.updatedAt(), now).toDays();
            ages.add(new PostureReport.CredentialAge("toolserver:" + u.server(), null, u.label(), "upstream_" + u.type(), ageDays, null));
            if (max.isZero()) continue;
            Instant due = u.updatedAt().plus(max);
            if (!now.isBefore(due.minus(policy.warnBefore()))) {
                findings.add(Finding.of(FindingType.UPSTREAM_ROTATION_DUE, "toolserver:" + u.server(), null,
                        now.isBefore(due) ? Severity.LOW : Severity.MEDIUM, detail("server", u.server(), "credential", u.label(), "type", u.type(), "ageDays", ageDays,
                                "maxAgeDays", max.toDays(), "due", due.toString())));
            }
        }
    }

    /**
     * The tool servers {@code i} may reach (its declared scope) only with a static upstream secret: the one the gateway
     * would inject for it — bound to it, else to the human it acts for, else server-wide — is named.
     */
    private static void staticUpstreamSecrets(Identity i, List<ToolServer> servers, List<UpstreamSecrets.UpstreamSecret> secrets,
                                              List<Finding> findings) {
        for (ToolServer s : servers) {
            if (s.upstreamAuth() != UpstreamAuth.STATIC || !ScopePatterns.reaches(i.scope().tools(), s.id())) continue;
            UpstreamSecrets.UpstreamSecret applies = null;
            int rank = Integer.MAX_VALUE;
            for (UpstreamSecrets.UpstreamSecret u : secrets) {
                if (!u.server().equals(s.id())) continue;
                int r = i.id().equals(u.identity()) ? 0 : u.owner() != null && u.owner().equals(i.actsOnBehalfOf()) ? 1
                        : u.identity() == null && u.owner() == null ? 2 : Integer.MAX_VALUE;
                if (r < rank) {
                    rank = r;
                    applies = u;
                }
            }
            if (applies == null) continue;
            findings.add(Finding.of(FindingType.STATIC_UPSTREAM_SECRET, i.id(), i.owner(), Severity.LOW, detail("server", s.id(),
                    "credential", applies.label(), "boundTo", rank == 0 ? "identity" : rank == 1 ? "owner" : "server", "type", applies.type())));
        }
    }

    // --- assembling

    private static Map<String, PostureReport.OwaspStatus> owasp(List<OwaspTop10.Item> items, List<Finding> findings, boolean nhi) {
        Map<String, PostureReport.OwaspStatus> out = new LinkedHashMap<>();
        for (OwaspTop10.Item item : items) {
            List<PostureReport.FindingRef> refs = new ArrayList<>();
            boolean severe = false;
            for (Finding f : findings) {
                if ((nhi ? f.owaspNhi() : f.owaspAgentic()).contains(item.id())) {
                    refs.add(new PostureReport.FindingRef(f.type(), f.identity(), f.severity()));
                    severe |= f.severity().compareTo(Severity.HIGH) >= 0;
                }
            }
            out.put(item.id(), new PostureReport.OwaspStatus(item.name(), refs.isEmpty() ? "pass" : severe ? "fail" : "warn", item.controls(), refs));
        }
        return out;
    }

    private PostureReport.Summary summary(int identities, int unmanaged, List<Finding> findings, List<PostureReport.CredentialAge> ages,
                                                 List<PostureReport.UsageFigure> usage) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        for (int s = Severity.values().length - 1; s >= 0; s--) bySeverity.put(Severity.values()[s].wire(), 0);
        Map<String, Integer> byOwner = new TreeMap<>();
        Map<String, Integer> byType = new TreeMap<>();
        for (Finding f : findings) {
            bySeverity.merge(f.severity().wire(), 1, Integer::sum);
            byOwner.merge(f.owner() == null ? "(no owner)" : f.owner(), 1, Integer::sum);
            byType.merge(f.type().wire(), 1, Integer::sum);
        }
        return new PostureReport.Summary(identities, unmanaged, policy.usageDays(), bySeverity, byOwner, byType, ages, usage);
    }

    private static Map<String, Object> detail(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

}
