package dev.gatehouse.credentials;

/** The one answer that carries a client secret ({@code secret} is null for key-based credentials). */
public record IssuedCredential(ClientCredential credential, String secret) {}
