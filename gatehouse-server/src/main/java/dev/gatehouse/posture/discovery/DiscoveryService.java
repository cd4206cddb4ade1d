package dev.gatehouse.posture.discovery;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Secrets;
import dev.gatehouse.core.Slug;
import dev.gatehouse.credentials.CredentialService;
import dev.gatehouse.credentials.CredentialSpec;
import dev.gatehouse.credentials.CredentialType;
import dev.gatehouse.credentials.UnmappedSubjects;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.IdentitySpec;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import dev.gatehouse.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Discovery of unmanaged non-human identities: imported from real exports (AWS IAM credential report,
 * Kubernetes service accounts, GitHub App installations) or seen presenting a verified federated token
 * no identity is bound to. They live in their own table, not as a status of identities: they have no
 * owner, purpose or scope (every identity has), and nothing may ever grant them anything. Adoption
 * registers the inventory identity, with its owner, in the same transaction that marks the entry adopted.
 */
public final class DiscoveryService implements UnmappedSubjects {
    public static final String FEDERATED = "federated";
    static final int MAX_ENTRIES = 10_000;
    private static final List<ExportParser> PARSERS = List.of(new AwsCredentialReport(), new KubernetesServiceAccounts(),
            new GitHubAppInstallations());

    private final Transactions tx;
    private final DiscoveryRepository repo;
    private final RegistryService registry;
    private final CredentialService credentials;
    private final AuditLog audit;
    private final Secrets secrets;
    private final Clock clock;

    public DiscoveryService(Transactions tx, RegistryService registry, CredentialService credentials, AuditLog audit, Secrets secrets,
                            Clock clock) {
        this.tx = tx;
        this.repo = new DiscoveryRepository(tx);
        this.registry = registry;
        this.credentials = credentials;
        this.audit = audit;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Parses a whole export first (bad input writes nothing), then records each entry: new ones unmanaged, known ones refreshed. */
    public ImportResult importExport(String format, String content, String actor) {
        if (format == null || format.isBlank()) throw new Problem.Invalid("format", "format is required (" + formats() + ")");
        ExportParser parser = PARSERS.stream().filter(p -> p.format().equals(format)).findFirst()
                .orElseThrow(() -> new Problem.Invalid("format", "format must be one of " + formats()));
        if (content == null || content.isBlank()) throw new Problem.Invalid("content", "content is required: the export, as text");
        Instant now = clock.instant();
        List<Discovered> entries = parser.parse(content, now);
        if (entries.size() > MAX_ENTRIES) throw new Problem.Invalid("content", "at most " + MAX_ENTRIES + " entries per import");
        return tx.inTransaction(() -> {
            int created = 0;
            List<DiscoveredIdentity> touched = new ArrayList<>();
            for (Discovered d : entries) {
                if (record(format, d, now)) created++;
                touched.add(repo.bySource(format, d.externalId()).orElseThrow());
            }
            audit.record(AuditEvent.of("discovery.imported", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withAction("discovery.import", format)
                    .withDetail(Map.of("format", format, "entries", entries.size(), "created", created, "updated", entries.size() - created)));
            return new ImportResult(format, entries.size(), created, entries.size() - created, touched);
        });
    }

    /** True when the entry is new. */
    private boolean record(String source, Discovered d, Instant now) {
        Optional<DiscoveredIdentity> known = repo.bySource(source, d.externalId());
        if (known.isPresent()) {
            repo.refresh(known.get().id(), d, now);
            return false;
        }
        repo.insert(secrets.newId("disc_"), source, d, now);
        return true;
    }

    /** A verified federated token whose subject no identity is bound to: recorded (or its sighting counted). */
    @Override
    public void presented(String issuer, String claim, String value) {
        Instant now = clock.instant();
        String externalId = issuer + "#" + value;
        tx.run(() -> {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("issuer", issuer);
            facts.put("claim", claim);
            facts.put("subject", value);
            Optional<DiscoveredIdentity> known = repo.bySource(FEDERATED, externalId);
            facts.put("firstPresented", known.map(k -> k.firstSeen().toString()).orElse(now.toString()));
            facts.put("lastPresented", now.toString());
            record(FEDERATED, new Discovered(externalId, value, facts), now);
        });
    }

    public List<DiscoveredIdentity> list(String status, String source, int limit) {
        if (status != null && !status.equals("unmanaged") && !status.equals("adopted")) {
            throw new Problem.Invalid("status", "status must be unmanaged or adopted");
        }
        if (limit < 1 || limit > 1000) throw new Problem.Invalid("limit", "limit must be between 1 and 1000");
        return tx.inTransaction(() -> repo.list(status, source, limit));
    }

    public DiscoveredIdentity get(String id) {
        return tx.inTransaction(() -> repo.find(id)).orElseThrow(() -> new Problem.NotFound("discovered identity '" + id + "' not found"));
    }

    /**
     * Makes a discovered identity an inventory identity owned by {@code adoption.owner()}; a federated one is
     * bound to its (issuer, subject) at once, so its next token request succeeds as that identity.
     */
    public Identity adopt(String discoveredId, Adoption adoption, String actor) {
        if (adoption == null) throw new Problem.Invalid(null, "an adoption is required: {owner, purpose, environment, scope}");
        return tx.inTransaction(() -> {
            DiscoveredIdentity found = repo.find(discoveredId)
                    .orElseThrow(() -> new Problem.NotFound("discovered identity '" + discoveredId + "' not found"));
            if (!found.status().equals("unmanaged")) {
                throw new Problem.Conflict("discovered identity '" + discoveredId + "' was already adopted as '" + found.adoptedAs() + "'", "id");
            }
            IdentityKind kind = adoption.kind() == null ? IdentityKind.WORKLOAD : adoption.kind();
            if (kind == IdentityKind.HUMAN) throw new Problem.Invalid("kind", "a discovered identity is adopted as a workload or an agent");
            String id = adoption.id() != null ? adoption.id() : slug(found.name());
            if (!Slug.isValid(id)) throw new Problem.Invalid("id", "no valid id can be made from '" + found.name() + "'; give one (lowercase a-z, 0-9, '-')");
            Identity identity = registry.register(new IdentitySpec(id, kind,
                    adoption.displayName() == null ? found.name() : adoption.displayName(), adoption.owner(), adoption.purpose(),
                    adoption.environment(), List.of("discovered:" + found.source()), List.of(), adoption.scope(), adoption.autonomy(), null,
                    null, null), actor);
            if (found.source().equals(FEDERATED)) {
                credentials.add(identity.id(), new CredentialSpec(CredentialType.FEDERATED, null, String.valueOf(found.facts().get("issuer")),
                        String.valueOf(found.facts().get("subject")), null), actor);
            }
            Instant now = clock.instant();
            if (!repo.adopt(found.id(), identity.id(), now, actor)) {
                throw new Problem.Conflict("discovered identity '" + discoveredId + "' was adopted concurrently", "id");
            }
            audit.record(AuditEvent.of("discovery.adopted", AuditEvent.Category.PRIVILEGED, "success", actor)
                    .withSubject(identity.id(), identity.kind().wire(), identity.owner())
                    .withAction("discovery.adopt", found.id())
                    .withDetail(Map.of("source", found.source(), "externalId", found.externalId())));
            return identity;
        });
    }

    /** {@code payments/ledger-sync} → {@code payments-ledger-sync}; null when nothing usable is left. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 64) s = s.substring(0, 64).replaceAll("-+$", "");
        return s.isEmpty() ? null : s;
    }

    private static String formats() {
        return String.join(", ", PARSERS.stream().map(ExportParser::format).toList());
    }
}
