package dev.gatehouse.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small Java SDK for the Gatehouse API; the CLI uses it for every call. Responses are JSON
 * trees so that the SDK stays independent of the server's classes; failures are
 * {@link GatehouseApiException} carrying the server's error code and field.
 */
public final class GatehouseClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final String userAgent;

    public GatehouseClient(URI base, String token) {
        this(base, token, "gatehouse-client/" + version());
    }

    private GatehouseClient(URI base, String token, String userAgent) {
        this.base = base;
        this.token = token;
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The same client announcing itself as {@code userAgent}: the server records the product with each token it
     * issues, which is how a person's tool (the CLI) using a workload's secret shows up in posture.
     */
    public GatehouseClient withUserAgent(String userAgent) { return new GatehouseClient(base, token, userAgent); }

    private static String version() {
        String v = GatehouseClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public URI base() { return base; }

    /** One path segment, percent-encoded, so ids never change the path they are placed in. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) { return send("GET", path, null); }

    public JsonNode get(String path, Map<String, String> query) { return send("GET", path + queryString(query), null); }

    public JsonNode post(String path, Object body) { return send("POST", path, body); }

    public JsonNode patch(String path, Object body) { return send("PATCH", path, body); }

    public JsonNode put(String path, Object body) { return send("PUT", path, body); }

    public JsonNode delete(String path) { return send("DELETE", path, null); }

    /**
     * GET a streamed, non-JSON body (JSON Lines exports): the caller reads and closes the stream.
     * Error responses still become {@link GatehouseApiException}.
     */
    public java.io.InputStream stream(String path, Map<String, String> query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path + queryString(query))).GET().header("User-Agent", userAgent);
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<java.io.InputStream> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() >= 400) {
            byte[] body;
            try (java.io.InputStream in = response.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            JsonNode tree = parse(body);
            if (tree != null && tree.hasNonNull("error")) {
                throw new GatehouseApiException(response.statusCode(), tree.get("error").asText(), tree.path("message").asText(""),
                        tree.hasNonNull("field") ? tree.get("field").asText() : null);
            }
            throw new GatehouseApiException(response.statusCode(), "http_" + response.statusCode(), "request failed", null);
        }
        return response.body();
    }

    /**
     * POST {@code application/x-www-form-urlencoded} (OAuth endpoints) with Basic client credentials
     * when given, else this client's bearer token (admin introspection and revocation), if any.
     */
    public JsonNode postForm(String path, Map<String, String> form, String basicUser, String basicPassword) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString(encodeForm(form)));
        if (basicUser != null) {
            String pair = URLEncoder.encode(basicUser, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(basicPassword, StandardCharsets.UTF_8);
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return execute(b.build());
    }

    /**
     * A task token by OAuth 2.0 client_credentials with {@code client_secret_basic} (RFC 6749 §4.4):
     * the token response ({@code access_token}, {@code task_id}, {@code scope}, {@code expires_in}).
     * {@code scope} and {@code ttlSeconds} may be null (the declared scope, the server's default lifetime).
     */
    public JsonNode requestTaskToken(String clientId, String clientSecret, String intent, String scope, Integer ttlSeconds) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("task_intent", intent);
        form.put("scope", scope);
        form.put("ttl", ttlSeconds == null ? null : ttlSeconds.toString());
        return postForm("oauth2/token", form, clientId, clientSecret);
    }

    /**
     * A task token by OAuth 2.0 client_credentials with {@code private_key_jwt} (RFC 7523): the client proves
     * itself with a signed assertion (one minute, single use) instead of a shared secret. {@code privateJwk} is
     * the client's private EC or RSA key as a JWK; its public half is the one registered with Gatehouse.
     */
    public JsonNode requestTaskTokenWithKey(String clientId, String privateJwk, String intent, String scope, Integer ttlSeconds) {
        String tokenEndpoint = get(".well-known/oauth-authorization-server").path("token_endpoint").asText();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("task_intent", intent);
        form.put("scope", scope);
        form.put("ttl", ttlSeconds == null ? null : ttlSeconds.toString());
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", ClientAssertions.sign(clientId, tokenEndpoint, privateJwk));
        return new GatehouseClient(base, null).postForm("oauth2/token", form, null, null);
    }

    /** The token-exchange grant (RFC 8693): delegation of a task token to another identity. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** RFC 8693 token type of Gatehouse access tokens. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    /**
     * Delegation (RFC 8693 token exchange): the actor, authenticating with its own client secret
     * ({@code client_secret_basic}), receives a token of the same task for its part of {@code subjectToken}'s
     * scope. {@code scope} and {@code ttlSeconds} may be null. Answer: {@code access_token}, {@code task_id},
     * {@code scope}, {@code expires_in}, {@code issued_token_type}.
     */
    public JsonNode exchangeToken(String actorId, String actorSecret, String subjectToken, String scope, Integer ttlSeconds) {
        return postForm("oauth2/token", exchangeForm(subjectToken, scope, ttlSeconds), actorId, actorSecret);
    }

    /** The form of a token exchange, for callers that authenticate the actor otherwise (a client assertion). */
    public static Map<String, String> exchangeForm(String subjectToken, String scope, Integer ttlSeconds) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", ACCESS_TOKEN_TYPE);
        form.put("scope", scope);
        form.put("ttl", ttlSeconds == null ? null : ttlSeconds.toString());
        return form;
    }

    /** An MCP client for the gateway endpoint of {@code toolServer}, authenticated by a task token. */
    public McpClient mcp(String toolServer, String taskToken) {
        return new McpClient(base.resolve("mcp/" + segment(toolServer)), taskToken);
    }

    /** One OpenID AuthZEN access evaluation ({@code POST /access/v1/evaluation}): {@code {decision, context}}. */
    public JsonNode evaluate(Map<String, Object> subject, String action, Map<String, Object> resource, Map<String, Object> context) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("subject", subject);
        request.put("action", Map.of("name", action));
        request.put("resource", resource);
        if (context != null) request.put("context", context);
        return post("access/v1/evaluation", request);
    }

    public JsonNode send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("User-Agent", userAgent);
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json");
            try {
                b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return execute(b.build());
    }

    private JsonNode execute(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + base + ": " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode tree = parse(response.body());
        if (response.statusCode() >= 400) {
            if (tree != null && tree.hasNonNull("error")) {
                String message = tree.path("message").asText(tree.path("error_description").asText(""));
                throw new GatehouseApiException(response.statusCode(), tree.get("error").asText(), message,
                        tree.hasNonNull("field") ? tree.get("field").asText() : null);
            }
            throw new GatehouseApiException(response.statusCode(), "http_" + response.statusCode(), "request failed", null);
        }
        return tree == null ? JSON.nullNode() : tree;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String queryString(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return j.toString();
    }

    private static String encodeForm(Map<String, String> form) {
        StringJoiner j = new StringJoiner("&");
        form.forEach((k, v) -> {
            if (v != null) j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return j.toString();
    }
}
