package dev.gatehouse.admin;

/** The one response that carries a token's value. */
public record IssuedAdminToken(AdminToken token, String secret) {}
