package dev.gatehouse.credentials;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an OAuth request ({@code application/x-www-form-urlencoded}), its
 * {@code Authorization} header and its {@code User-Agent} (the client software, which tells a
 * person's tool from a deployed workload) and the peer address (failed-authentication throttling). RFC 6749 §3.2: parameters must not be repeated; unknown
 * ones are ignored.
 */
public record TokenRequest(Map<String, List<String>> form, String authorization, String userAgent, String remoteAddress) {
    public TokenRequest(Map<String, List<String>> form, String authorization) {
        this(form, authorization, null, "unknown");
    }

    public TokenRequest {
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() > 1) {
                throw OAuthException.invalidRequest("parameter '" + safe(e.getKey()) + "' is repeated");
            }
        }
    }

    public Optional<String> param(String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) return Optional.empty();
        return Optional.of(values.get(0));
    }

    public String required(String name) {
        return param(name).orElseThrow(() -> OAuthException.invalidRequest("parameter '" + name + "' is required"));
    }

    private static String safe(String name) {
        return name.length() > 40 || !name.matches("[A-Za-z0-9_.-]*") ? "(unprintable)" : name;
    }
}
