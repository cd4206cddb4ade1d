package dev.gatehouse.credentials;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A token endpoint success response (RFC 6749 §5.1, RFC 8693 §2.2.1), plus the task it is bound to. */
public record IssuedToken(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("issued_token_type") String issuedTokenType) {}
