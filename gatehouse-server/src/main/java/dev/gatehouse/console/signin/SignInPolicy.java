package dev.gatehouse.console.signin;

import dev.gatehouse.audit.AuditEvent;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.console.ConsoleUser;
import dev.gatehouse.core.Problem;
import dev.gatehouse.core.Slug;
import dev.gatehouse.http.Caller.Role;
import dev.gatehouse.registry.Group;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.IdentityQuery;
import dev.gatehouse.registry.IdentitySpec;
import dev.gatehouse.registry.IdentityUpdate;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who a person from the identity provider is in Gatehouse, and what they may do.
 *
 * <p>The person is the Gatehouse {@code human} whose {@code email} equals the ID token's {@code email} claim
 * (case-insensitive), and only when the provider does not mark that email unverified. Email rather than the
 * provider's {@code sub}: the inventory already records people by email (owners, approvers, reviews), an
 * email survives a change of provider, and no second identifier has to be kept in step. An unknown person is
 * refused, or registered as a new human when {@code console.oidc.provision} is on; a suspended or retired
 * human is refused. Two humans sharing that email are refused too: the match must be unambiguous.
 *
 * <p>Roles: the configured {@code defaultRoles} plus every role a {@code provider-group=role} mapping gives
 * for the person's groups. Gatehouse groups: for each {@code provider-group=gatehouse-group} mapping, the human
 * is made a member when the provider lists the group and removed when it no longer does (groups not named by a
 * mapping are left alone), so {@code @approval("group:…")} follows the provider.
 */
public final class SignInPolicy {
    static final Set<Role> CONSOLE_ROLES = EnumSet.of(Role.ADMIN, Role.SECURITY, Role.APPROVER, Role.OWNER, Role.AUDITOR);

    /**
     * The configured mappings, checked when the configuration is read (a misspelt role stops the start):
     * provider group → roles, provider group → Gatehouse groups, and the roles everyone gets.
     */
    public record Mapping(Map<String, Set<Role>> roles, Map<String, Set<String>> groups, Set<Role> defaultRoles) {
        public static Mapping parse(List<String> roleMapping, List<String> groupMapping, List<String> defaultRoles) {
            Map<String, Set<Role>> roles = new LinkedHashMap<>();
            parseEntries("console.oidc.roleMapping", roleMapping).forEach((group, targets) -> {
                Set<Role> rs = EnumSet.noneOf(Role.class);
                targets.forEach(t -> rs.add(role("console.oidc.roleMapping", t)));
                roles.put(group, rs);
            });
            Map<String, Set<String>> groups = parseEntries("console.oidc.groupMapping", groupMapping);
            groups.values().forEach(ts -> ts.forEach(t -> {
                if (!Slug.isValid(t)) throw new IllegalArgumentException("console.oidc.groupMapping: '" + t + "' is not a Gatehouse group id");
            }));
            Set<Role> defaults = EnumSet.noneOf(Role.class);
            defaultRoles.forEach(r -> defaults.add(role("console.oidc.defaultRoles", r)));
            return new Mapping(Map.copyOf(roles), Map.copyOf(groups), Set.copyOf(defaults));
        }
    }

    private final RegistryService registry;
    private final AuditLog audit;
    private final Mapping mapping;
    private final boolean provision;

    public SignInPolicy(RegistryService registry, AuditLog audit, Mapping mapping, boolean provision) {
        this.registry = registry;
        this.audit = audit;
        this.mapping = mapping;
        this.provision = provision;
    }

    /** The console user for {@code person}, after keeping its mapped group memberships in step; refuses with a reason. */
    public ConsoleUser admit(IdpPerson person) {
        if (person.email() == null || person.email().isBlank()) {
            throw refused(person, "email_missing", "The identity provider gave no verified email address for you.");
        }
        String email = person.email().strip().toLowerCase(Locale.ROOT);
        List<Identity> matches = new ArrayList<>();
        String after = null;
        do {
            dev.gatehouse.core.Page<Identity> page = registry.list(new IdentityQuery(IdentityKind.HUMAN, null, null, null, null, null, after, 1000));
            page.items().stream().filter(h -> h.email() != null && h.email().strip().toLowerCase(Locale.ROOT).equals(email)).forEach(matches::add);
            after = page.next();
        } while (after != null);
        if (matches.size() > 1) throw refused(person, "email_ambiguous", "More than one Gatehouse human has your email address; ask an admin.");
        Identity human;
        if (matches.isEmpty()) {
            if (!provision) throw refused(person, "unknown_person", "You are not a known Gatehouse user; ask an admin to register you.");
            human = register(person, email);
        } else {
            human = matches.get(0);
        }
        if (!human.isActive()) throw refused(person, "human_not_active", "Your Gatehouse account is " + human.status().wire() + ".");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles.addAll(mapping.defaultRoles());
        for (String g : person.groups()) roles.addAll(mapping.roles().getOrDefault(g, Set.of()));
        if (roles.isEmpty()) throw refused(person, "no_role", "None of your groups gives you a console role.");
        human = syncGroups(human, person);
        return new ConsoleUser("human:" + human.id(), human.id(), human.displayName(), roles);
    }

    private Identity register(IdpPerson person, String email) {
        String base = email.substring(0, email.indexOf('@') < 1 ? email.length() : email.indexOf('@'))
                .replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (base.isEmpty()) base = "person";
        if (base.length() > 56) base = base.substring(0, 56);
        String id = base;
        for (int n = 2; registry.find(id).isPresent(); n++) id = base + "-" + n;
        String name = person.name() == null || person.name().isBlank() ? email : person.name().strip();
        try {
            return registry.register(new IdentitySpec(id, IdentityKind.HUMAN, name.length() > 200 ? name.substring(0, 200) : name, null, null, null,
                    List.of(), List.of(), null, null, null, email, null), "console:oidc");
        } catch (Problem p) {
            throw refused(person, "provision_failed", "You could not be registered: " + p.getMessage());
        }
    }

    private Identity syncGroups(Identity human, IdpPerson person) {
        if (mapping.groups().isEmpty()) return human;
        Set<String> managed = new LinkedHashSet<>();
        mapping.groups().values().forEach(managed::addAll);
        Set<String> wanted = new LinkedHashSet<>();
        for (String g : person.groups()) wanted.addAll(mapping.groups().getOrDefault(g, Set.of()));
        Set<String> existing = new LinkedHashSet<>();
        for (Group g : registry.listGroups()) existing.add(g.id());
        List<String> groups = new ArrayList<>();
        for (String g : human.groups()) if (!managed.contains(g)) groups.add(g);
        for (String g : wanted) if (existing.contains(g) && !groups.contains(g)) groups.add(g);
        if (new LinkedHashSet<>(groups).equals(new LinkedHashSet<>(human.groups()))) return human;
        return registry.update(human.id(), new IdentityUpdate(null, null, null, null, groups, null, null, null, null, null, null),
                "console:oidc");
    }

    private SignInRefused refused(IdpPerson person, String reason, String message) {
        audit.record(AuditEvent.of("console.sign_in", AuditEvent.Category.PRIVILEGED, "failure", "oidc:" + person.subject())
                .withAction("console.sign_in", "console").withReason(reason)
                .withDetail(Map.of("method", "oidc", "issuer", person.issuer())));
        return new SignInRefused(reason, message);
    }

    private static Role role(String key, String value) {
        Role r;
        try {
            r = Role.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            r = null;
        }
        if (r == null || !CONSOLE_ROLES.contains(r)) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a role (admin, security, approver, owner, auditor)");
        }
        return r;
    }

    /** {@code a=b} entries into a → {b…}. */
    private static Map<String, Set<String>> parseEntries(String key, List<String> entries) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 1 || eq == entry.length() - 1) throw new IllegalArgumentException(key + ": '" + entry + "' must be provider-group=target");
            out.computeIfAbsent(entry.substring(0, eq).strip(), k -> new LinkedHashSet<>()).add(entry.substring(eq + 1).strip());
        }
        return out;
    }
}
