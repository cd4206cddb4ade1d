package dev.gatehouse.console.signin;

import java.util.List;

/**
 * A person as the OpenID provider vouched for them in a validated ID token: {@code subject} and
 * {@code issuer} identify them at the provider; {@code email} is present only when the provider did
 * not say it is unverified; {@code groups} is the configured groups claim.
 */
public record IdpPerson(String issuer, String subject, String email, String name, List<String> groups) {}
