package dev.gatehouse.core;

import java.util.regex.Pattern;

/** Identifiers of inventory objects: lowercase slugs, so they are safe in URLs, Cedar ids and SPIFFE ids. */
public final class Slug {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

    private Slug() {}

    public static boolean isValid(String value) {
        return value != null && SLUG.matcher(value).matches();
    }

    /** Returns the value or throws {@link Problem.Invalid} naming the field. */
    public static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new Problem.Invalid(field, field + " is required");
        }
        if (!isValid(value)) {
            throw new Problem.Invalid(field, field + " must be a lowercase slug (a-z, 0-9, '-', at most 64 characters, no leading or trailing '-')");
        }
        return value;
    }
}
