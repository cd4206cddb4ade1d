package dev.gatehouse.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.io.BaseEncoding;
import dev.gatehouse.console.stepup.Totp;
import dev.gatehouse.demo.DemoToolServer;
import dev.gatehouse.testing.TestGatehouse;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over plain HTTP, as a browser would speak it (cookies kept by hand): the headers and cookie
 * attributes of every page, CSRF and origin checks, admin-token sign-in, single sign-on refusing an unknown
 * person, TOTP enrolment (its seed rendered once), TOTP step-up approving a held call and breaking glass with the
 * factor in the audit record, a code good only once, a stale step-up refused, session expiry and shared tokens' limits.
 */
class ConsoleHttpTest {
    static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @TempDir Path dir;
    MockOAuth2Server idp;
    ConsoleWorld.TestClock clock;
    TestGatehouse gh;
    DemoToolServer upstream;
    String base;

    @BeforeEach
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        clock = new ConsoleWorld.TestClock();
        upstream = new DemoToolServer().start();
        gh = TestGatehouse.start(dir.resolve("data"), null, TestGatehouse.withLoopbackPeers(Map.of("console.oidc.issuer", idp.issuerUrl("corp").toString(),
                "console.oidc.clientId", "gatehouse-console", "console.oidc.roleMapping", "gh-approvers=approver",
                "console.oidc.groupMapping", "gh-sre=sre",
                "lifecycle.sweepSeconds", "3600", "approvals.breakGlassOwnerAllowed", "true")), clock);
        base = "http://localhost:" + gh.gatehouse().port();
    }

    @AfterEach
    void stop() throws Exception {
        gh.close();
        upstream.close();
        idp.shutdown();
    }

    /** A browser: its cookie jar, by name. */
    final class Browser {
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        final Map<String, String> cookies = new HashMap<>();

        HttpResponse<String> get(String url) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : base + url)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) throws Exception {
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            headers.forEach(b::header);
            return send(b);
        }

        HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            if (!cookies.isEmpty()) b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (set.contains("Max-Age=0")) cookies.remove(pair.substring(0, eq));
                else cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return r;
        }

        /** Follows redirects by hand (the IdP's and the console's), keeping cookies. */
        HttpResponse<String> follow(HttpResponse<String> r) throws Exception {
            for (int i = 0; i < 10 && r.statusCode() / 100 == 3; i++) {
                String location = r.headers().firstValue("Location").orElseThrow();
                r = get(location.startsWith("/") ? base + location : location);
            }
            return r;
        }

        /** Single sign-on as the person the provider is told about next. */
        HttpResponse<String> signInSso(String subject, String email, String name, List<String> groups) throws Exception {
            idp.enqueueCallback(ConsoleBrowserTest.person(subject, email, name, groups));
            get("/console/sign-in");
            return follow(get("/console/sign-in/oidc"));
        }
    }

    static String csrf(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    @Test
    void pagesCarryAStrictPolicyAndCookiesAreHttpOnlySecureAndSameSite() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> page = b.get("/console/sign-in");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(WebSafety.CSP);
        assertThat(WebSafety.CSP).contains("script-src 'self';", "style-src 'self';", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("__Host-gatehouse-browser=")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Lax", "; Secure");
        assertThat(page.body()).doesNotContain("<script>", "style=\"", "onclick");
        assertThat(b.get("/console/assets/htmx.min.js").body()).contains("htmx");

        // Another host name is sent to the console's own origin (cookies and WebAuthn are bound to it).
        HttpResponse<String> moved = b.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gh.gatehouse().port() + "/console/sign-in"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(moved.statusCode()).isEqualTo(303);
        assertThat(moved.headers().firstValue("Location")).hasValue(base + "/console/sign-in");
        assertThat(b.get("/console/inventory").headers().firstValue("Location")).as("signed out: to the sign-in page").hasValue("/console/sign-in");
    }

    @Test
    void theAdminTokenSignsInForSetUpButCannotApproveAndFormsNeedTheirToken() throws Exception {
        Browser b = new Browser();
        String formToken = csrf(b.get("/console/sign-in").body());
        assertThat(b.post("/console/sign-in/token", Map.of("token", TestGatehouse.ADMIN_TOKEN), Map.of()).statusCode())
                .as("no CSRF token").isEqualTo(403);
        assertThat(b.post("/console/sign-in/token", Map.of("_csrf", formToken, "token", TestGatehouse.ADMIN_TOKEN),
                Map.of("Origin", "https://evil.example")).statusCode()).as("another origin").isEqualTo(403);
        HttpResponse<String> wrong = b.post("/console/sign-in/token", Map.of("_csrf", formToken, "token", "gha_nope.nope"), Map.of());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("does not sign in").doesNotContain("gha_nope");
        HttpResponse<String> in = b.post("/console/sign-in/token", Map.of("_csrf", formToken, "token", TestGatehouse.ADMIN_TOKEN), Map.of());
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("__Host-gatehouse-session=").contains("HttpOnly", "Secure", "SameSite=Lax");
        HttpResponse<String> inventory = b.follow(in);
        assertThat(inventory.body()).contains("id=\"inventory\"", "admin token bootstrap", "admin").doesNotContain(TestGatehouse.ADMIN_TOKEN);
        String csrf = csrf(inventory.body());

        ConsoleWorld world = new ConsoleWorld(gh, upstream);
        JsonNode held = new ConsoleWorld.Agent(gh.baseUri(), world.agentToken("deploy"))
                .call("deploy_service", Map.of("service", "api", "version", "1", "environment", "prod"));
        String request = ConsoleWorld.heldRequest(held);
        HttpResponse<String> refused = b.post("/console/approvals/" + request + "/approve", Map.of("_csrf", csrf), Map.of());
        assertThat(refused.statusCode()).as("an operator's token names no person: it cannot approve").isEqualTo(403);
        assertThat(b.post("/console/approvals/" + request + "/approve", Map.of(), Map.of()).statusCode()).isEqualTo(403);
        assertThat(gh.client().get("v1/approvals/" + request).path("status").asText()).isEqualTo("pending");

        // Session expiry: idle for longer than console.sessionIdleSeconds ends it.
        clock.advance(Duration.ofMinutes(31));
        assertThat(b.get("/console/inventory").headers().firstValue("Location")).hasValue("/console/sign-in");
    }

    @Test
    void anUnknownPersonIsRefusedAndAKnownOneStepsUpWithAnAuthenticatorAppToApprove() throws Exception {
        ConsoleWorld world = new ConsoleWorld(gh, upstream);
        Browser stranger = new Browser();
        HttpResponse<String> refused = stranger.signInSso("who", "mallory@example.com", "Mallory", List.of("gh-approvers"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("not a known Gatehouse user");
        assertThat(stranger.cookies).doesNotContainKey("__Host-gatehouse-session");
        assertThat(gh.client().get("v1/audit/events", Map.of("type", "console.sign_in", "outcome", "failure")).path("items").get(0)
                .path("reason").asText()).isEqualTo("unknown_person");

        Browser b = new Browser();
        HttpResponse<String> home = b.signInSso("maria-at-idp", "maria@example.com", "Maria Lopez", List.of("gh-approvers"));
        assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
        String csrf = csrf(home.body());

        HttpResponse<String> enrolment = b.post("/console/factors/totp", Map.of("_csrf", csrf, "name", "phone"), Map.of());
        Matcher seed = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<").matcher(enrolment.body());
        assertThat(seed.find()).as("the seed is shown at enrolment").isTrue();
        String secret = seed.group(1);
        byte[] key = BaseEncoding.base32().decode(secret);
        String factorId = Pattern.compile("/console/factors/totp/(fac_[0-9a-f]+)/confirm").matcher(enrolment.body()).results().findFirst().orElseThrow().group(1);
        assertThat(b.post("/console/factors/totp/" + factorId + "/confirm", Map.of("_csrf", csrf, "code", "000000"), Map.of()).statusCode()).isEqualTo(400);
        long step = Totp.step(clock.instant().getEpochSecond());
        assertThat(b.post("/console/factors/totp/" + factorId + "/confirm", Map.of("_csrf", csrf, "code", Totp.code(key, step)), Map.of()).statusCode())
                .isEqualTo(303);
        assertThat(b.get("/console/security").body()).as("never rendered again").doesNotContain(secret).contains("phone");

        ConsoleWorld.Agent agent = new ConsoleWorld.Agent(gh.baseUri(), world.agentToken("deploy billing"));
        clock.advance(Duration.ofMinutes(6));
        String request = ConsoleWorld.heldRequest(agent.call("deploy_service", Map.of("service", "billing", "version", "9", "environment", "prod")));
        HttpResponse<String> stale = b.post("/console/approvals/" + request + "/approve", Map.of("_csrf", csrf, "comment", "ok"), Map.of());
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(stale.body()).contains("second factor");

        String code = Totp.code(key, Totp.step(clock.instant().getEpochSecond()));
        HttpResponse<String> up = b.post("/console/step-up/totp", Map.of("_csrf", csrf, "code", code, "return", "/console/approvals"), Map.of());
        assertThat(up.headers().firstValue("Location")).hasValue("/console/approvals?notice=stepped-up");
        assertThat(b.post("/console/step-up/totp", Map.of("_csrf", csrf, "code", code), Map.of()).statusCode()).as("a code works once").isEqualTo(400);
        HttpResponse<String> approved = b.post("/console/approvals/" + request + "/approve", Map.of("_csrf", csrf, "comment", "CHG-7"), Map.of());
        assertThat(approved.headers().firstValue("Location")).hasValue("/console/approvals?notice=approved");
        JsonNode event = gh.client().get("v1/audit/events", Map.of("type", "approval.approved")).path("items").get(0);
        assertThat(event.path("detail").path("factor").asText()).isEqualTo("totp:" + factorId);
        assertThat(event.path("reason").asText()).isEqualTo("CHG-7");

        // Break-glass from the console uses the same fresh step-up and names it too. Who may break glass is policy: the
        // starter pack lets responders do it, and this organisation lets owners do it for their own agents.
        gh.client().post("v1/groups", Map.of("id", "breakglass-responders", "displayName", "Break-glass responders"));
        List<String> groups = new java.util.ArrayList<>();
        gh.client().get("v1/identities/maria").path("groups").forEach(g -> groups.add(g.asText()));
        groups.add("breakglass-responders");
        gh.client().patch("v1/identities/maria", Map.of("groups", groups));
        HttpResponse<String> glass = b.post("/console/breakglass", Map.of("_csrf", csrf, "identity", "support-agent", "scope", "support/*",
                "ttlSeconds", "600", "justification", "INC-4711: billing down, rollback needed"), Map.of());
        assertThat(glass.headers().firstValue("Location")).as(glass.body()).hasValue("/console/approvals?notice=glass-broken");
        JsonNode granted = gh.client().get("v1/audit/events", Map.of("type", "breakglass.granted")).path("items").get(0);
        assertThat(granted.path("actor").asText()).isEqualTo("human:maria");
        assertThat(granted.path("detail").path("factor").asText()).isEqualTo("totp:" + factorId);
        clock.advance(Duration.ofMinutes(6));
        assertThat(b.post("/console/breakglass", Map.of("_csrf", csrf, "identity", "support-agent", "scope", "support/*", "ttlSeconds", "600",
                "justification", "INC-4712: again, later"), Map.of()).statusCode()).as("the step-up has gone stale").isEqualTo(403);

        StringBuilder export = new StringBuilder();
        gh.gatehouse().auditTrail().export(0, line -> export.append(line).append('\n'));
        assertThat(export.toString()).as("no seed, code or session id in the audit trail").doesNotContain(secret).doesNotContain(code)
                .doesNotContain(b.cookies.get("__Host-gatehouse-session")).contains("console.factor.enrolled", "console.step_up");
    }

    @Test
    void providerGroupsFollowAndAnOwnerRevokesCredentialsNarrowsScopeAndAnswersReviewsForWhatTheyOwnOnly() throws Exception {
        new ConsoleWorld(gh, upstream);
        String credential = gh.client().get("v1/identities/support-agent/credentials").path("items").get(0).path("id").asText();
        gh.client().post("v1/reviews", Map.of("name", "Q1 production recertification", "scope", Map.of("environments", List.of("prod")),
                "dueAt", clock.instant().plus(Duration.ofDays(14)).toString(), "onMissed", "none"));

        Browser audrey = new Browser();
        String audreyCsrf = csrf(audrey.signInSso("audrey-at-idp", "audrey@example.com", "Audrey Auditor", List.of()).body());
        assertThat(audrey.get("/console/identities/support-agent").statusCode()).as("another owner's agent: not found").isEqualTo(404);
        assertThat(audrey.post("/console/identities/support-agent/scope", Map.of("_csrf", audreyCsrf, "tool", "support/*", "effect", "read"),
                Map.of()).statusCode()).isEqualTo(404);
        assertThat(audrey.get("/console/inventory").body()).doesNotContain("support-agent");

        // The provider's groups become Gatehouse group memberships (and go again when the provider drops them).
        gh.client().post("v1/groups", Map.of("id", "sre", "displayName", "SRE on call"));
        new Browser().signInSso("maria-at-idp", "maria@example.com", "Maria Lopez", List.of("gh-sre"));
        assertThat(gh.client().get("v1/identities/maria").path("groups").toString()).isEqualTo("[\"sre\"]");
        Browser maria = new Browser();
        HttpResponse<String> home = maria.signInSso("maria-at-idp", "maria@example.com", "Maria Lopez", List.of());
        assertThat(gh.client().get("v1/identities/maria").path("groups").toString()).isEqualTo("[]");
        String csrf = csrf(home.body());
        String page = maria.get("/console/identities/support-agent").body();
        assertThat(page).contains("id=\"reduce-scope\"", "Q1 production recertification", "revoke-credential");

        HttpResponse<String> widened = maria.post("/console/identities/support-agent/scope",
                Map.of("_csrf", csrf, "tool", "payments/*", "effect", "read"), Map.of());
        assertThat(widened.statusCode()).isEqualTo(400);
        assertThat(widened.body()).contains("only narrow");
        assertThat(maria.post("/console/identities/support-agent/scope", Map.of("_csrf", csrf, "tool", "support/*", "effect", "read"), Map.of())
                .headers().firstValue("Location")).hasValue("/console/identities/support-agent?notice=scope-reduced");
        JsonNode agent = gh.client().get("v1/identities/support-agent");
        assertThat(agent.path("scope").path("effects").toString()).isEqualTo("[\"read\"]");

        assertThat(maria.post("/console/identities/support-agent/credentials/" + credential + "/revoke", Map.of("_csrf", csrf), Map.of())
                .headers().firstValue("Location")).hasValue("/console/identities/support-agent?notice=credential-revoked");
        assertThat(gh.client().get("v1/identities/support-agent/credentials").path("items").get(0).path("status").asText()).isEqualTo("revoked");

        String review = gh.client().get("v1/reviews").path("items").get(0).path("id").asText();
        assertThat(maria.post("/console/reviews/" + review + "/items/support-agent", Map.of("_csrf", csrf, "decision", "keep", "comment", "still needed"),
                Map.of()).headers().firstValue("Location")).hasValue("/console/identities/support-agent?notice=review-answered");
        JsonNode item = gh.client().get("v1/reviews/" + review).path("items").get(0);
        assertThat(item.path("decision").asText()).isEqualTo("keep");
        assertThat(item.path("decidedBy").asText()).isEqualTo("human:maria");
        assertThat(maria.get("/console/identities/support-agent").body()).doesNotContain("Q1 production recertification");
    }
}
