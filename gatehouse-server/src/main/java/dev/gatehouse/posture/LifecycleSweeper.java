package dev.gatehouse.posture;

import dev.gatehouse.core.Problem;
import dev.gatehouse.credentials.ClientCredential;
import dev.gatehouse.credentials.CredentialService;
import dev.gatehouse.posture.notify.Notices;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityStatus;
import dev.gatehouse.webhook.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle work the scheduler repeats: dormant identities (reported, suspended with reason
 * {@code dormant} when configured), credential ages (a webhook warning before the deadline and one at
 * it, revocation past the maximum age when enforced), and rotation reminders for upstream credentials.
 * Each warning is sent once ({@link Notices}); each suspension is a lifecycle transition that only one
 * node can make (the registry's version-guarded update), so two nodes sweeping at once act once.
 */
public final class LifecycleSweeper {
    public static final String ACTOR = "system:posture";

    private final RegistryService registry;
    private final CredentialService credentials;
    private final UpstreamSecrets upstream;
    private final Notifier notifier;
    private final Notices notices;
    private final LifecyclePolicy policy;
    private final Clock clock;

    public LifecycleSweeper(RegistryService registry, CredentialService credentials, UpstreamSecrets upstream, Notifier notifier, Notices notices,
                            LifecyclePolicy policy, Clock clock) {
        this.registry = registry;
        this.credentials = credentials;
        this.upstream = upstream;
        this.notifier = notifier;
        this.notices = notices;
        this.policy = policy;
        this.clock = clock;
    }

    /** What one sweep did. */
    public record Swept(int dormant, int suspended, int warnings, int revoked) {}

    public Swept sweep() {
        Instant now = clock.instant();
        int dormant = 0;
        int suspended = 0;
        int warnings = 0;
        int revoked = 0;
        for (Identity i : registry.listAll()) {
            if (!i.kind().isNonHuman() || i.status() == IdentityStatus.RETIRED) continue;
            if (isDormant(i, now)) {
                dormant++;
                if (policy.suspendDormant()) {
                    try {
                        registry.suspend(i.id(), "dormant", ACTOR);
                        suspended++;
                    } catch (Problem.Conflict raced) {
                        // another node suspended it a moment ago
                    }
                } else if (notices.firstTime("dormant:" + i.id() + ":" + seen(i))) {
                    notifier.notify("identity.dormant", data("identity", i.id(), "owner", i.owner(), "lastSeen", i.lastSeen() == null ? null
                            : i.lastSeen().toString(), "dormantAfterDays", policy.dormantAfter().toDays()));
                    warnings++;
                }
            }
            if (i.status() != IdentityStatus.ACTIVE && i.status() != IdentityStatus.SUSPENDED) continue;
            for (ClientCredential c : credentials.list(i.id())) {
                if (!c.status().equals("active")) continue;
                Optional<Instant> deadline = policy.deadline(c);
                if (deadline.isEmpty()) continue;
                Instant due = deadline.get();
                String key = "credential:" + c.id() + ":" + due;
                if (!now.isBefore(due)) {
                    if (notices.firstTime(key + ":reached")) {
                        notifier.notify("credential.deadline_reached", credentialData(i, c, due));
                        warnings++;
                    }
                    if (policy.enforceMaxAge() && policy.maxAgeReached(c).filter(m -> !now.isBefore(m)).isPresent()) {
                        try {
                            credentials.revoke(i.id(), c.id(), ACTOR);
                            revoked++;
                        } catch (Problem.Conflict raced) {
                            // revoked a moment ago (another node, or an admin)
                        }
                    }
                } else if (!now.isBefore(due.minus(policy.warnBefore())) && notices.firstTime(key + ":warned")) {
                    notifier.notify("credential.expiring", credentialData(i, c, due));
                    warnings++;
                }
            }
        }
        Duration max = policy.maxUpstreamAge();
        if (!max.isZero()) {
            for (UpstreamSecrets.UpstreamSecret u : upstream.list()) {
                Instant due = u.updatedAt().plus(max);
                String key = u.label() + ":" + u.version();
                Map<String, Object> data = data("server", u.server(), "credential", u.label(), "type", u.type(), "version", u.version(),
                        "updatedAt", u.updatedAt().toString(), "due", due.toString());
                if (!now.isBefore(due) && notices.firstTime(key + ":reached")) {
                    notifier.notify("upstream_credential.rotation_overdue", data);
                    warnings++;
                } else if (now.isBefore(due) && !now.isBefore(due.minus(policy.warnBefore())) && notices.firstTime(key + ":warned")) {
                    notifier.notify("upstream_credential.rotation_due", data);
                    warnings++;
                }
            }
        }
        return new Swept(dormant, suspended, warnings, revoked);
    }

    private boolean isDormant(Identity i, Instant now) {
        return !policy.dormantAfter().isZero() && i.status() == IdentityStatus.ACTIVE && seen(i).isBefore(now.minus(policy.dormantAfter()));
    }

    private static Instant seen(Identity i) { return i.lastSeen() != null ? i.lastSeen() : i.createdAt(); }

    private static Map<String, Object> credentialData(Identity i, ClientCredential c, Instant due) {
        return data("identity", i.id(), "owner", i.owner(), "credential", c.id(), "credentialType", c.type().wire(),
                "since", LifecyclePolicy.since(c).toString(), "due", due.toString(), "lastUsed", c.lastUsed() == null ? null : c.lastUsed().toString());
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }
}
