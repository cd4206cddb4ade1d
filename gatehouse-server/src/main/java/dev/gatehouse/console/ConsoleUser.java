package dev.gatehouse.console;

import dev.gatehouse.http.Access;
import dev.gatehouse.http.Caller.Role;
import java.util.Set;

/**
 * Who is signed in to the console. {@code principal} is {@code human:<id>} for a person signed in through
 * single sign-on (then {@code humanId} names the Gatehouse human), or {@code admin-token:<id>} for the first
 * set-up sign-in with an admin token (no human: such a session cannot enrol factors, approve or break glass).
 */
public record ConsoleUser(String principal, String humanId, String displayName, Set<Role> roles) {
    public ConsoleUser {
        roles = Set.copyOf(roles);
    }

    /** Same rule as the API: {@link Access} decides, for any of the roles held. */
    public boolean may(Access access) { return access.allowsAny(roles); }

    public boolean isHuman() { return humanId != null; }

    /** The roles as people read them: {@code admin, approver}. */
    public String rolesText() { return String.join(", ", roles.stream().map(Role::wire).sorted().toList()); }
}
