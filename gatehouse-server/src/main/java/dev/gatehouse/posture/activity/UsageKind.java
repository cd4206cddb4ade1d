package dev.gatehouse.posture.activity;

import java.util.Locale;

/** What the daily rollups count per identity. */
public enum UsageKind {
    /** A governed object by scope id, with its effect. */
    TOOL,
    /** A tool server. */
    SERVER,
    /** {@code internal} or {@code external}. */
    DESTINATION,
    /** A classification level read (0 public .. 3 restricted). */
    LEVEL,
    /** A content finding type (e.g. {@code secret.aws_access_key}) in what the identity sent. */
    FINDING,
    /** The client software a task token was requested with (User-Agent product, e.g. {@code gatehouse-cli}, {@code curl}). */
    CLIENT,
    /** The authentication method a task token was requested with ({@code client_secret_basic}, {@code private_key_jwt}, {@code federated} …). */
    METHOD;

    public String wire() { return name().toLowerCase(Locale.ROOT); }
}
