package dev.gatehouse.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.admin.AdminTokenService;
import dev.gatehouse.approvals.ApprovalQuery;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ApproverProof;
import dev.gatehouse.audit.AuditQuery;
import dev.gatehouse.audit.AuditTrail;
import dev.gatehouse.audit.ChainVerifier;
import dev.gatehouse.audit.Trace;
import dev.gatehouse.console.Views.*;
import dev.gatehouse.console.signin.SignInPolicy;
import dev.gatehouse.console.signin.SignInRefused;
import dev.gatehouse.console.signin.SingleSignOn;
import dev.gatehouse.console.stepup.Factor;
import dev.gatehouse.console.stepup.StepUpFactors;
import dev.gatehouse.console.stepup.StepUpFailed;
import dev.gatehouse.core.Json;
import dev.gatehouse.core.Problem;
import dev.gatehouse.credentials.ClientCredential;
import dev.gatehouse.credentials.CredentialService;
import dev.gatehouse.http.Access;
import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import dev.gatehouse.http.Caller;
import dev.gatehouse.http.Caller.Role;
import dev.gatehouse.http.Router;
import dev.gatehouse.policy.PolicyVersions;
import dev.gatehouse.posture.PostureCharts;
import dev.gatehouse.posture.PostureService;
import dev.gatehouse.posture.reviews.AccessReview;
import dev.gatehouse.posture.reviews.ReviewService;
import dev.gatehouse.registry.Identity;
import dev.gatehouse.registry.IdentityQuery;
import dev.gatehouse.registry.RegistryService;
import dev.gatehouse.registry.Vocabulary.IdentityKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console at {@code /console}: server-rendered pages (jte) with htmx for partial updates, both served
 * from here. The routes are public to the API router because the console authenticates on its own — a
 * session cookie instead of a bearer token — and then applies the same {@link Access} rules as the API to
 * the roles the signed-in human holds. Every state-changing request carries the session's CSRF token.
 */
public final class ConsoleRoutes {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRoutes.class);
    private static final Map<String, String> NOTICES = Map.of(
            "approved", "Approved: the agent's next identical call runs once.",
            "glass-broken", "Break-glass granted: it is audited as critical and ends by itself.",
            "denied", "Denied: the agent is told your reason.",
            "stepped-up", "Second factor proved: you may decide for a few minutes.",
            "enrolled", "Factor enrolled.",
            "credential-revoked", "Credential revoked: tokens minted with it stop working.",
            "scope-reduced", "Declared scope narrowed: live tokens beyond it stop working.",
            "review-answered", "Review answer recorded.",
            "revoked", "Factor revoked.",
            "signed-out", "Signed out.");
    private static final Map<String, String> ASSETS = Map.of(
            "htmx.min.js", "META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js",
            "console.js", "console/assets/console.js",
            "console.css", "console/assets/console.css");

    /** What the console needs from the rest of Gatehouse, built once in the wiring. */
    public record Services(RegistryService registry, CredentialService credentials, ApprovalService approvals, AuditTrail audit,
                           PolicyVersions policies, PolicyChecks policyChecks, PostureService posture, ReviewService reviews,
                           AdminTokenService adminTokens) {}

    private final Services services;
    private final ConsoleSessions sessions;
    private final SingleSignOn sso;
    private final SignInPolicy signInPolicy;
    private final StepUpFactors factors;
    private final Supplier<URI> publicUrl;
    private final WebSafety web;
    private final boolean tokenSignIn;
    private final Duration stepUpMaxAge;
    private final Clock clock;
    private final Pages pages = new Pages();

    public ConsoleRoutes(Services services, ConsoleSessions sessions, SingleSignOn sso, SignInPolicy signInPolicy, StepUpFactors factors,
                         Supplier<URI> publicUrl, boolean secureCookies, boolean tokenSignIn, Duration stepUpMaxAge, Clock clock) {
        this.services = services;
        this.sessions = sessions;
        this.sso = sso;
        this.signInPolicy = signInPolicy;
        this.factors = factors;
        this.publicUrl = publicUrl;
        this.web = new WebSafety(secureCookies);
        this.tokenSignIn = tokenSignIn;
        this.stepUpMaxAge = stepUpMaxAge;
        this.clock = clock;
    }

    @FunctionalInterface
    private interface Page {
        ApiResponse handle(ApiRequest req, ConsoleSession session) throws Exception;
    }

    public void register(Router r) {
        r.get("/", Access.PUBLIC, "The console (redirects to /console)", req -> WebSafety.redirect("/console"));
        r.get("/console", Access.PUBLIC, "Console home", req -> anonymous(req, () -> {
            Optional<ConsoleSession> s = session(req);
            if (s.isEmpty()) return WebSafety.redirect("/console/sign-in");
            return WebSafety.redirect(s.get().user().may(Access.READ) || s.get().user().may(Access.OWNER) ? "/console/inventory" : "/console/approvals");
        }));
        r.get("/console/assets/{name}", Access.PUBLIC, "Console scripts and styles (htmx from its webjar)", this::asset);

        r.get("/console/sign-in", Access.PUBLIC, "Console sign-in page", req -> anonymous(req, () -> signInPage(req, null)));
        r.post("/console/sign-in/token", Access.PUBLIC, "Console sign-in with an admin token (first set-up)", req -> anonymous(req, () -> tokenSignIn(req)));
        r.get("/console/sign-in/oidc", Access.PUBLIC, "Start single sign-on at the OpenID provider", req -> anonymous(req, () -> startSso(req)));
        r.get("/console/auth/callback", Access.PUBLIC, "Single sign-on callback (authorization code + PKCE)", req -> anonymous(req, () -> finishSso(req)));
        r.post("/console/sign-out", Access.PUBLIC, "Sign out of the console", action(null, (req, s) -> {
            sessions.end(s);
            return WebSafety.redirect("/console/sign-in?notice=signed-out").header("Set-Cookie", web.clearCookie(web.sessionCookie()));
        }));

        r.get("/console/inventory", Access.PUBLIC, "Console: inventory", page(null, this::inventory));
        r.get("/console/identities/{id}", Access.PUBLIC, "Console: one identity and its trace", page(null, this::identity));
        r.post("/console/identities/{id}/credentials/{credential}/revoke", Access.PUBLIC, "Console: an owner revokes a credential",
                action(Access.OWNER, this::revokeCredential));
        r.post("/console/identities/{id}/scope", Access.PUBLIC, "Console: an owner narrows the declared scope", action(Access.OWNER, this::reduceScope));
        r.post("/console/reviews/{review}/items/{id}", Access.PUBLIC, "Console: an owner answers a review item", action(Access.OWNER, this::answerReview));
        r.get("/console/approvals", Access.PUBLIC, "Console: approvals inbox", page(Access.REVIEW, this::approvals));
        r.post("/console/approvals/{id}/approve", Access.PUBLIC, "Console: approve a held call (step-up)", action(Access.APPROVER, (req, s) -> decide(req, s, true)));
        r.post("/console/approvals/{id}/deny", Access.PUBLIC, "Console: deny a held call (step-up)", action(Access.APPROVER, (req, s) -> decide(req, s, false)));
        r.post("/console/breakglass", Access.PUBLIC, "Console: break glass (step-up)", action(Access.APPROVER, this::breakGlass));
        r.get("/console/audit", Access.PUBLIC, "Console: audit explorer", page(Access.READ, this::audit));
        r.get("/console/audit/verify", Access.PUBLIC, "Console: verify the audit chain", page(Access.READ, this::verifyChain));
        r.get("/console/audit/trace/{id}", Access.PUBLIC, "Console: trace of a task, token or identity", page(Access.READ, this::trace));
        r.get("/console/policies", Access.PUBLIC, "Console: policy versions, diff, shadow disagreements", page(Access.READ, this::policies));
        r.post("/console/policies/tests", Access.PUBLIC, "Console: run the starter test cases against a version", action(Access.READ, this::policies));
        r.get("/console/posture", Access.PUBLIC, "Console: posture and reviews", page(Access.READ, this::posture));

        r.get("/console/security", Access.PUBLIC, "Console: your second factors", page(null, (req, s) -> factorsPage(req, s, null)));
        r.post("/console/factors/totp", Access.PUBLIC, "Console: enrol an authenticator app (TOTP)", action(null, this::enrolTotp));
        r.post("/console/factors/totp/{id}/confirm", Access.PUBLIC, "Console: confirm an authenticator app", action(null, this::confirmTotp));
        r.post("/console/factors/{id}/revoke", Access.PUBLIC, "Console: revoke a second factor", action(null, this::revokeFactor));
        r.post("/console/factors/webauthn/options", Access.PUBLIC, "Console: WebAuthn registration options", action(null, this::registrationOptions));
        r.post("/console/factors/webauthn", Access.PUBLIC, "Console: finish WebAuthn registration", action(null, this::finishRegistration));
        r.post("/console/step-up/webauthn/options", Access.PUBLIC, "Console: WebAuthn step-up options", action(null, this::assertionOptions));
        r.post("/console/step-up/webauthn", Access.PUBLIC, "Console: step up with WebAuthn", action(null, this::stepUpWebAuthn));
        r.post("/console/step-up/totp", Access.PUBLIC, "Console: step up with a TOTP code", action(null, this::stepUpTotp));
    }

    // --- the frame: sessions, CSRF, roles, errors

    private Optional<ConsoleSession> session(ApiRequest req) {
        return WebSafety.cookie(req, web.sessionCookie()).flatMap(sessions::resolve);
    }

    /** A page for signed-in people: {@code access} null means any signed-in user (the handler narrows). */
    private Router.Handler page(Access access, Page page) {
        return req -> {
            Optional<ConsoleSession> s = session(req);
            return guarded(req, () -> {
                if (s.isEmpty()) return WebSafety.redirect("/console/sign-in");
                if (access != null && !s.get().user().may(access)) {
                    throw new Problem.Forbidden("your roles (" + roles(s.get()) + ") do not open this page");
                }
                return page.handle(req, s.get());
            }, s.orElse(null));
        };
    }

    /** A state-changing request: a live session, the session's CSRF token, same origin, and the role. */
    private Router.Handler action(Access access, Page page) {
        return req -> {
            Optional<ConsoleSession> s = session(req);
            return guarded(req, () -> {
                if (s.isEmpty()) throw new Problem.Unauthenticated("your console session has ended; sign in again");
                String presented = req.header("x-csrf-token").orElseGet(() -> formValue(req, "_csrf"));
                if (!WebSafety.same(s.get().csrf(), presented) || !WebSafety.sameOrigin(req, publicUrl.get())) {
                    throw new Problem.Forbidden("csrf_failed", "this form is not from your console session (missing or wrong CSRF token); reload the page");
                }
                if (access != null && !s.get().user().may(access)) {
                    throw new Problem.Forbidden("your roles (" + roles(s.get()) + ") do not allow this");
                }
                return page.handle(req, s.get());
            }, s.orElse(null));
        };
    }

    private ApiResponse anonymous(ApiRequest req, Work work) throws Exception {
        return guarded(req, work, null);
    }

    @FunctionalInterface
    private interface Work {
        ApiResponse run() throws Exception;
    }

    /** Problems become an HTML page with their status (or JSON for script requests); nothing internal is shown. */
    private ApiResponse guarded(ApiRequest req, Work work, ConsoleSession s) throws Exception {
        Optional<ApiResponse> moved = canonicalHost(req);
        if (moved.isPresent()) return moved.get();
        try {
            return WebSafety.harden(work.run());
        } catch (Problem p) {
            int status = p instanceof Problem.NotFound ? 404 : p instanceof Problem.Invalid ? 400 : p instanceof Problem.Conflict ? 409
                    : p instanceof Problem.Unauthenticated ? 401 : p instanceof Problem.Forbidden ? 403 : 500;
            if (wantsJson(req)) {
                return WebSafety.harden(ApiResponse.json(status, Map.of("error", p.code(), "message", p.getMessage())));
            }
            return WebSafety.harden(html(status, "error.jte", new ErrorPage(chrome(s, "Cannot do that", "", req), status, p.getMessage())));
        } catch (StepUpFailed e) {
            if (wantsJson(req)) return WebSafety.harden(ApiResponse.json(400, Map.of("error", "step_up_failed", "message", e.getMessage())));
            return WebSafety.harden(html(400, "error.jte", new ErrorPage(chrome(s, "Second factor not proved", "", req), 400, e.getMessage())));
        }
    }

    /**
     * The console lives at one origin ({@code console.publicUrl}): cookies, the sign-in redirect and WebAuthn
     * are bound to it. A page asked for under another host name (127.0.0.1 for localhost) is sent there.
     */
    private Optional<ApiResponse> canonicalHost(ApiRequest req) {
        URI pub = publicUrl.get();
        String host = req.header("host").orElse("");
        if (!req.method().equals("GET") || host.isEmpty() || host.equalsIgnoreCase(pub.getAuthority())) return Optional.empty();
        String query = req.queryParams().isEmpty() ? "" : "?" + queryString(req);
        return Optional.of(WebSafety.redirect(pub.getScheme() + "://" + pub.getAuthority() + req.path() + query));
    }

    private static boolean wantsJson(ApiRequest req) {
        return req.header("accept").map(a -> a.startsWith("application/json")).orElse(false)
                || req.header("content-type").map(c -> c.startsWith("application/json")).orElse(false);
    }

    private Chrome chrome(ConsoleSession s, String title, String section, ApiRequest req) {
        List<NavItem> nav = new ArrayList<>();
        if (s != null) {
            ConsoleUser u = s.user();
            if (u.may(Access.READ) || u.may(Access.OWNER)) nav.add(new NavItem("/console/inventory", "Inventory", "inventory"));
            if (u.may(Access.REVIEW)) nav.add(new NavItem("/console/approvals", "Approvals", "approvals"));
            if (u.may(Access.READ)) {
                nav.add(new NavItem("/console/audit", "Audit", "audit"));
                nav.add(new NavItem("/console/policies", "Policies", "policies"));
                nav.add(new NavItem("/console/posture", "Posture", "posture"));
            }
            if (u.isHuman()) nav.add(new NavItem("/console/security", "Second factors", "security"));
        }
        String notice = req == null ? null : req.query("notice").map(NOTICES::get).orElse(null);
        return new Chrome(title, section, s == null ? null : s.user(), s == null ? null : s.csrf(), nav, notice, null,
                s != null && s.steppedUp(clock.instant(), stepUpMaxAge), clock.instant());
    }

    private ApiResponse html(int status, String template, Object view) {
        return ApiResponse.text(status, "text/html; charset=utf-8", pages.render(template, view));
    }

    private ApiResponse html(String template, Object view) { return html(200, template, view); }

    // --- sign-in

    private ApiResponse signInPage(ApiRequest req, String error) {
        String browser = WebSafety.cookie(req, web.browserCookie()).filter(v -> v.length() >= 40 && v.length() <= 60).orElse(null);
        boolean fresh = browser == null;
        if (fresh) browser = newBrowserId();
        Chrome c = chrome(null, "Sign in", "sign-in", req);
        c = new Chrome(c.title(), c.section(), null, null, List.of(), c.notice(), error, false, c.now());
        ApiResponse page = html(error == null ? 200 : 401, "signin.jte", new SignInPage(c, sso.configured(), tokenSignIn, formToken(browser)));
        return fresh ? page.header("Set-Cookie", web.setCookie(web.browserCookie(), browser, 900)) : page;
    }

    private String newBrowserId() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The sign-in forms' CSRF token: derived from the browser cookie, so only a page this browser loaded carries it. */
    private static String formToken(String browser) {
        return dev.gatehouse.core.Secrets.sha256Hex("gatehouse-console-sign-in-form:" + browser);
    }

    private ApiResponse tokenSignIn(ApiRequest req) {
        if (!tokenSignIn) throw new Problem.Forbidden("admin-token sign-in is turned off (console.tokenSignIn)");
        String browser = WebSafety.cookie(req, web.browserCookie()).orElse(null);
        if (browser == null || !WebSafety.same(formToken(browser), formValue(req, "_csrf")) || !WebSafety.sameOrigin(req, publicUrl.get())) {
            throw new Problem.Forbidden("csrf_failed", "this sign-in form is not from this browser; reload the sign-in page");
        }
        String token = formValue(req, "token");
        Optional<Caller> caller = token == null || token.isBlank() ? Optional.empty() : services.adminTokens().authenticate(token.strip());
        Set<Role> roles = EnumSet.noneOf(Role.class);
        caller.ifPresent(c -> {
            // A shared token names an operator, not a person: it gets the operator role it carries, never approver or owner.
            switch (c.role()) {
                case ADMIN -> roles.add(Role.ADMIN);
                case SECURITY -> roles.add(Role.SECURITY);
                case AUDITOR, READER -> roles.add(Role.AUDITOR);
                default -> { }
            }
        });
        if (roles.isEmpty()) return signInPage(req, "That token does not sign in to the console (unknown, revoked, or a PDP token).");
        ConsoleUser user = new ConsoleUser(caller.get().actor(), null, "admin token " + caller.get().name(), roles);
        ConsoleSessions.Started started = sessions.start(user, "admin-token", req.remoteAddress());
        return WebSafety.redirect("/console").header("Set-Cookie", web.setCookie(web.sessionCookie(), started.cookieValue(), -1));
    }

    private ApiResponse startSso(ApiRequest req) {
        if (!sso.configured()) throw new Problem.NotFound("single sign-on is not configured (console.oidc.issuer)");
        String browser = WebSafety.cookie(req, web.browserCookie()).filter(v -> v.length() >= 40 && v.length() <= 60).orElse(null);
        boolean fresh = browser == null;
        if (fresh) browser = newBrowserId();
        try {
            ApiResponse r = WebSafety.redirect(sso.start(browser).toString());
            return fresh ? r.header("Set-Cookie", web.setCookie(web.browserCookie(), browser, 900)) : r;
        } catch (SignInRefused e) {
            log.warn("single sign-on could not start: {}", e.reason());
            return signInPage(req, e.getMessage());
        }
    }

    private ApiResponse finishSso(ApiRequest req) {
        if (!sso.configured()) throw new Problem.NotFound("single sign-on is not configured (console.oidc.issuer)");
        try {
            if (req.query("error").isPresent()) {
                throw new SignInRefused("provider_error", "The identity provider did not sign you in (" + clip(req.query("error").get(), 60) + ").");
            }
            String browser = WebSafety.cookie(req, web.browserCookie()).orElse(null);
            ConsoleUser user = signInPolicy.admit(sso.finish(req.query("code").orElse(null), req.query("state").orElse(null), browser));
            ConsoleSessions.Started started = sessions.start(user, "oidc", req.remoteAddress());
            return WebSafety.redirect("/console").header("Set-Cookie", web.setCookie(web.sessionCookie(), started.cookieValue(), -1));
        } catch (SignInRefused e) {
            log.info("console sign-in refused: {}", e.reason());
            return signInPage(req, e.getMessage());
        }
    }

    // --- inventory and identities

    /** Who the user may see: readers see everyone; an owner only the identities they own (and themself). */
    private boolean visible(ConsoleSession s, Identity i) {
        ConsoleUser u = s.user();
        if (u.may(Access.READ)) return true;
        return u.isHuman() && u.may(Access.OWNER) && (u.humanId().equals(i.owner()) || u.humanId().equals(i.id()));
    }

    private ApiResponse inventory(ApiRequest req, ConsoleSession s) {
        req.onlyQuery("kind", "notice");
        if (!s.user().may(Access.READ) && !s.user().may(Access.OWNER)) throw new Problem.Forbidden("your roles do not open the inventory");
        String kind = req.query("kind").filter(k -> !k.isBlank()).orElse(null);
        IdentityKind k = kind == null ? null : IdentityKind.parse(kind);
        boolean ownOnly = !s.user().may(Access.READ);
        List<InventoryRow> rows = new ArrayList<>();
        Instant now = clock.instant();
        for (Identity i : services.registry().listAll()) {
            if (k != null && i.kind() != k) continue;
            if (!visible(s, i)) continue;
            List<ClientCredential> creds = i.kind() == IdentityKind.HUMAN ? List.of() : services.credentials().list(i.id()).stream()
                    .filter(c -> c.revokedAt() == null).toList();
            Long oldest = creds.stream().map(c -> c.rotatedAt() != null ? c.rotatedAt() : c.createdAt())
                    .map(t -> Duration.between(t, now).toDays()).max(Long::compare).orElse(null);
            Instant used = creds.stream().map(ClientCredential::lastUsed).filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
            rows.add(new InventoryRow(i, creds.size(), oldest, used));
        }
        return html("inventory.jte", new InventoryPage(chrome(s, "Inventory", "inventory", req), kind == null ? "" : kind, rows, ownOnly));
    }

    private ApiResponse identity(ApiRequest req, ConsoleSession s) {
        Identity i = services.registry().find(req.pathParam("id")).filter(x -> visible(s, x))
                // Same answer for "missing" and "not yours": an owner learns nothing about others' identities.
                .orElseThrow(() -> new Problem.NotFound("identity '" + req.pathParam("id") + "' not found"));
        List<ClientCredential> creds = i.kind() == IdentityKind.HUMAN ? List.of() : services.credentials().list(i.id());
        Trace trace = services.audit().trace(i.id());
        boolean manage = manages(s, i);
        List<OpenReviewItem> open = new ArrayList<>();
        if (manage) {
            for (AccessReview r : services.reviews().list("open", 50)) {
                AccessReview mine = services.reviews().get(r.id(), s.user().isHuman() ? s.user().humanId() : null);
                if (mine.items().stream().anyMatch(item -> item.identity().equals(i.id()) && item.decision() == null)) {
                    open.add(new OpenReviewItem(r.id(), r.name(), r.dueAt()));
                }
            }
        }
        return html("identity.jte", new IdentityPage(chrome(s, i.displayName(), "inventory", req), i, creds, trace, timeline(trace.events()),
                manage, open));
    }

    /** Self-service: the owner (holding the owner role) of a workload or agent, or an admin. */
    private boolean manages(ConsoleSession s, Identity i) {
        ConsoleUser u = s.user();
        if (i.kind() == IdentityKind.HUMAN) return false;
        return u.roles().contains(Role.ADMIN) || u.isHuman() && u.roles().contains(Role.OWNER) && u.humanId().equals(i.owner());
    }

    private Identity managed(ApiRequest req, ConsoleSession s) {
        Identity i = services.registry().find(req.pathParam("id")).filter(x -> visible(s, x))
                .orElseThrow(() -> new Problem.NotFound("identity '" + req.pathParam("id") + "' not found"));
        if (!manages(s, i)) throw new Problem.Forbidden("only the owner of '" + i.id() + "' (or an admin) may change it here");
        return i;
    }

    private ApiResponse revokeCredential(ApiRequest req, ConsoleSession s) {
        Identity i = managed(req, s);
        services.credentials().revoke(i.id(), req.pathParam("credential"), s.user().principal());
        return WebSafety.redirect("/console/identities/" + i.id() + "?notice=credential-revoked");
    }

    /** Only narrower: the tool patterns and effects kept must all be in the declared scope already. */
    private ApiResponse reduceScope(ApiRequest req, ConsoleSession s) {
        Identity i = managed(req, s);
        if (i.scope() == null) throw new Problem.Invalid("scope", "'" + i.id() + "' declares no scope");
        List<String> tools = req.form().getOrDefault("tool", List.of());
        Set<dev.gatehouse.registry.Vocabulary.Effect> effects = EnumSet.noneOf(dev.gatehouse.registry.Vocabulary.Effect.class);
        for (String e : req.form().getOrDefault("effect", List.of())) effects.add(dev.gatehouse.registry.Vocabulary.Effect.parse(e));
        if (!i.scope().tools().containsAll(tools) || !i.scope().effects().containsAll(effects)) {
            throw new Problem.Invalid("scope", "an owner may only narrow the declared scope here; widening it is an admin's change");
        }
        if (tools.isEmpty() || effects.isEmpty()) throw new Problem.Invalid("scope", "keep at least one tool pattern and one effect (or retire the identity)");
        services.registry().update(i.id(), new dev.gatehouse.registry.IdentityUpdate(null, null, null, null, null,
                new dev.gatehouse.registry.Scope(List.copyOf(tools), effects, i.scope().useCases()), null, null, null, null, i.version()),
                s.user().principal());
        return WebSafety.redirect("/console/identities/" + i.id() + "?notice=scope-reduced");
    }

    private ApiResponse answerReview(ApiRequest req, ConsoleSession s) {
        Identity i = managed(req, s);
        String decision = Optional.ofNullable(formValue(req, "decision")).orElse("");
        if (!decision.equals("keep") && !decision.equals("revoke")) throw new Problem.Invalid("decision", "decision must be keep or revoke");
        services.reviews().decide(req.pathParam("review"), i.id(), new dev.gatehouse.posture.reviews.ItemAnswer(
                dev.gatehouse.posture.reviews.ReviewDecision.parse(decision), null, formValue(req, "comment")),
                s.user().roles().contains(Role.ADMIN) && !i.owner().equals(s.user().humanId()) ? null : s.user().humanId(), s.user().principal());
        return WebSafety.redirect("/console/identities/" + i.id() + "?notice=review-answered");
    }

    private static List<TimelineEntry> timeline(List<ObjectNode> events) {
        List<TimelineEntry> out = new ArrayList<>();
        for (JsonNode e : events) {
            JsonNode detail = e.path("detail");
            String summary = "";
            if (e.hasNonNull("reason")) summary = e.path("reason").asText();
            if (detail.isObject()) {
                List<String> parts = new ArrayList<>();
                for (String k : List.of("factor", "credential", "classification", "findings", "approval", "method", "roles")) {
                    if (detail.has(k)) parts.add(k + "=" + (detail.get(k).isTextual() ? detail.get(k).asText() : detail.get(k).toString()));
                }
                if (!parts.isEmpty()) summary = (summary.isEmpty() ? "" : summary + " · ") + String.join(" ", parts);
            }
            if (e.has("policies") && e.get("policies").size() > 0) summary = (summary.isEmpty() ? "" : summary + " · ") + "policies=" + e.get("policies");
            out.add(new TimelineEntry(e.path("seq").asLong(), e.path("time").asText(), e.path("type").asText(), e.path("outcome").asText(),
                    e.path("actor").asText(""), e.path("resource").asText(""), summary));
        }
        return out;
    }

    // --- approvals

    private ApiResponse approvals(ApiRequest req, ConsoleSession s) {
        ConsoleUser u = s.user();
        boolean approver = u.may(Access.APPROVER) && u.isHuman();
        List<String> decidable = approver ? services.approvals().decidableBy(u.humanId()).stream().map(ApprovalRequest::id).toList() : List.of();
        List<HeldItem> pending = new ArrayList<>();
        for (ApprovalRequest r : services.approvals().list(new ApprovalQuery("pending", null, null, null, 200, null)).items()) {
            Identity agent = services.registry().find(r.call().identity()).orElse(null);
            String classification = "public";
            List<String> findings = new ArrayList<>();
            // What the gateway saw in the held call's arguments: its record of the hold carries the classification and finding types.
            for (ObjectNode e : services.audit().events(new AuditQuery(null, null, r.call().taskId(), null, "gateway.call", null, "hold", null, null,
                    null, null, 100, true)).items()) {
                if (r.id().equals(e.path("detail").path("approvalRequest").asText())) {
                    classification = e.path("detail").path("classification").asText(classification);
                    e.path("detail").path("findings").forEach(f -> findings.add(f.asText()));
                    break;
                }
            }
            pending.add(new HeldItem(r, agent == null ? r.call().identity() : agent.displayName(), agent == null ? null : agent.owner(),
                    classification, findings, decidable.contains(r.id())));
        }
        List<ApprovalRequest> recent = services.approvals().list(new ApprovalQuery(null, null, null, null, 30, null)).items().stream()
                .filter(r -> !r.status().equals("pending")).toList();
        boolean hasFactor = u.isHuman() && factors.hasFactor(u.humanId());
        return html("approvals.jte", new ApprovalsPage(chrome(s, "Approvals", "approvals", req), pending, recent, approver, hasFactor, "/console/approvals"));
    }

    private ApiResponse decide(ApiRequest req, ConsoleSession s, boolean approve) {
        ApproverProof proof = freshProof(s);
        String comment = formValue(req, "comment");
        if (approve) services.approvals().approve(req.pathParam("id"), s.user().humanId(), proof, comment);
        else services.approvals().deny(req.pathParam("id"), s.user().humanId(), proof, comment);
        return WebSafety.redirect("/console/approvals?notice=" + (approve ? "approved" : "denied"));
    }

    private ApiResponse breakGlass(ApiRequest req, ConsoleSession s) {
        ApproverProof proof = freshProof(s);
        List<String> scope = new ArrayList<>();
        for (String p : Optional.ofNullable(formValue(req, "scope")).orElse("").split(",")) if (!p.isBlank()) scope.add(p.strip());
        Integer ttl;
        try {
            ttl = Integer.valueOf(Optional.ofNullable(formValue(req, "ttlSeconds")).orElse("").strip());
        } catch (NumberFormatException e) {
            throw new Problem.Invalid("ttlSeconds", "ttlSeconds must be a number of seconds");
        }
        services.approvals().breakGlass(new dev.gatehouse.approvals.BreakGlassSpec(formValue(req, "identity"), scope, ttl,
                formValue(req, "justification")), s.user().humanId(), proof);
        return WebSafety.redirect("/console/approvals?notice=glass-broken");
    }

    /** The step-up this session proved, if fresh enough to decide with; else a refusal saying what to do. */
    private ApproverProof freshProof(ConsoleSession s) {
        if (!s.user().isHuman()) throw new Problem.Forbidden("an admin-token session names no person and cannot decide");
        if (!s.steppedUp(clock.instant(), stepUpMaxAge)) {
            throw new Problem.Forbidden("step_up_required", "deciding needs a second factor proved in the last " + stepUpMaxAge.toMinutes()
                    + " minutes: use your security key or authenticator app above, then decide again");
        }
        return ApproverProof.consoleStepUp(s.stepUpFactor(), s.stepUpAt());
    }

    // --- audit

    private ApiResponse audit(ApiRequest req, ConsoleSession s) {
        req.onlyQuery("identity", "type", "outcome", "from", "to", "notice");
        AuditFilters f = new AuditFilters(q(req, "identity"), q(req, "type"), q(req, "outcome"), q(req, "from"), q(req, "to"));
        Instant from = instant("from", f.from());
        Instant to = instant("to", f.to());
        if (f.outcome() != null && !Set.of("success", "failure", "allow", "deny", "hold").contains(f.outcome())) {
            throw new Problem.Invalid("outcome", "outcome must be success, failure, allow, deny or hold");
        }
        List<ObjectNode> events = services.audit().events(new AuditQuery(f.identity(), null, null, null, f.type(), null, f.outcome(), null, from, to,
                null, 200, true)).items();
        return html("audit.jte", new AuditPage(chrome(s, "Audit", "audit", req), f, timeline(events), null, false));
    }

    /** Verifies the whole chain and its signed checkpoints, exactly as {@code gatehouse audit verify} does offline. */
    private ApiResponse verifyChain(ApiRequest req, ConsoleSession s) throws Exception {
        List<String> lines = new ArrayList<>();
        services.audit().export(0, lines::add);
        ChainVerifier.Result result = ChainVerifier.verify(lines, List.of(), JWKSet.parse(services.audit().jwks()), false);
        String status;
        boolean intact;
        if (result instanceof ChainVerifier.Intact ok) {
            intact = true;
            status = "Intact: " + ok.records() + " records (seq " + ok.firstSeq() + "–" + ok.lastSeq() + "), " + ok.checkpointsMatched()
                    + " signed checkpoints matched" + (ok.signaturesVerified() ? ", signatures verified" : "");
        } else {
            intact = false;
            ChainVerifier.Broken broken = (ChainVerifier.Broken) result;
            status = "BROKEN at seq " + broken.seq() + ": " + broken.problem();
        }
        return html("chain.jte", new AuditPage(chrome(s, "Audit", "audit", req), null, List.of(), status, intact));
    }

    private ApiResponse trace(ApiRequest req, ConsoleSession s) {
        Trace t = services.audit().trace(req.pathParam("id"));
        return html("trace.jte", new TracePage(chrome(s, "Trace " + t.id(), "audit", req), t, timeline(t.events())));
    }

    // --- policies and posture

    private ApiResponse policies(ApiRequest req, ConsoleSession s) {
        List<dev.gatehouse.policy.PolicyVersion> versions = services.policies().versions();
        Long from = null;
        Long to = null;
        String diff = null;
        if (req.method().equals("GET")) {
            req.onlyQuery("from", "to", "notice");
            from = longParam(req, "from");
            to = longParam(req, "to");
        }
        if (from == null && to == null && versions.size() >= 2) {
            to = versions.get(0).version();
            from = versions.get(1).version();
        }
        if (from != null && to != null) diff = services.policies().diff(from, to);
        List<TestResult> tests = List.of();
        String source = null;
        if (req.method().equals("POST")) {
            String v = formValue(req, "version");
            long version;
            try {
                version = Long.parseLong(v == null ? "" : v.strip());
            } catch (NumberFormatException e) {
                throw new Problem.Invalid("version", "version must be a policy version number");
            }
            tests = services.policyChecks().run(version);
            source = "the starter pack's test cases, against version " + version;
        }
        return html("policies.jte", new PoliciesPage(chrome(s, "Policies", "policies", req), versions, from, to, diff,
                services.policies().disagreements(null, 50), tests, source));
    }

    private ApiResponse posture(ApiRequest req, ConsoleSession s) {
        JsonNode report = Json.MAPPER.valueToTree(services.posture().report());
        return html("posture.jte", new PosturePage(chrome(s, "Posture", "posture", req), PostureCharts.all(report), report.path("findings"),
                services.reviews().list(null, 20)));
    }

    // --- second factors and step-up

    private String human(ConsoleSession s) {
        if (!s.user().isHuman()) throw new Problem.Forbidden("second factors belong to people; this session signed in with an admin token");
        return s.user().humanId();
    }

    /** Adding or removing a factor once one exists needs a fresh step-up: a stolen session must not swap in its own. */
    private void requireStepUpIfEnrolled(ConsoleSession s) {
        if (factors.hasFactor(human(s)) && !s.steppedUp(clock.instant(), stepUpMaxAge)) {
            throw new Problem.Forbidden("step_up_required", "prove one of your existing factors first, then change your factors");
        }
    }

    private ApiResponse factorsPage(ApiRequest req, ConsoleSession s, StepUpFactors.TotpEnrolment enrolment) {
        List<Factor> list = factors.list(human(s));
        String back = req.query("return").filter(ConsoleRoutes::localPath).orElse(null);
        return html("factors.jte", new FactorsPage(chrome(s, "Second factors", "security", req), list, enrolment, back));
    }

    private ApiResponse enrolTotp(ApiRequest req, ConsoleSession s) {
        requireStepUpIfEnrolled(s);
        // The seed is rendered in this one response (no-store) and never again.
        return factorsPage(req, s, factors.enrolTotp(human(s), formValue(req, "name")));
    }

    private ApiResponse confirmTotp(ApiRequest req, ConsoleSession s) {
        Factor f = factors.confirmTotp(human(s), req.pathParam("id"), formValue(req, "code"));
        sessions.steppedUp(s, f.reference());
        return WebSafety.redirect("/console/security?notice=enrolled");
    }

    private ApiResponse revokeFactor(ApiRequest req, ConsoleSession s) {
        requireStepUpIfEnrolled(s);
        factors.revoke(human(s), req.pathParam("id"), s.user().principal());
        return WebSafety.redirect("/console/security?notice=revoked");
    }

    private ApiResponse registrationOptions(ApiRequest req, ConsoleSession s) {
        requireStepUpIfEnrolled(s);
        return ApiResponse.ok(factors.registrationOptions(human(s), s.user().displayName(), sessions.newChallenge(s)));
    }

    private ApiResponse finishRegistration(ApiRequest req, ConsoleSession s) {
        requireStepUpIfEnrolled(s);
        JsonNode body = req.jsonBody();
        byte[] challenge = sessions.takeChallenge(s).orElseThrow(() -> new StepUpFailed("The enrolment took too long; start again."));
        Factor f = factors.finishRegistration(human(s), body.path("name").asText(null), body.path("credential").toString(), challenge);
        // Enrolling proves possession of the new key just now: that is a step-up too.
        sessions.steppedUp(s, f.reference());
        return ApiResponse.ok(Map.of("factor", f.id(), "redirect", "/console/security?notice=enrolled"));
    }

    private ApiResponse assertionOptions(ApiRequest req, ConsoleSession s) {
        return ApiResponse.ok(factors.assertionOptions(human(s), sessions.newChallenge(s)));
    }

    private ApiResponse stepUpWebAuthn(ApiRequest req, ConsoleSession s) {
        JsonNode body = req.jsonBody();
        byte[] challenge = sessions.takeChallenge(s).orElseThrow(() -> new StepUpFailed("The step-up took too long; try again."));
        Factor f = factors.proveWebAuthn(human(s), body.path("credential").toString(), challenge);
        sessions.steppedUp(s, f.reference());
        String back = body.path("return").asText("/console/approvals");
        return ApiResponse.ok(Map.of("factor", f.id(), "redirect", (localPath(back) ? back : "/console/approvals")
                + (back.contains("?") ? "&" : "?") + "notice=stepped-up"));
    }

    private ApiResponse stepUpTotp(ApiRequest req, ConsoleSession s) {
        Factor f = factors.proveTotp(human(s), formValue(req, "code"));
        sessions.steppedUp(s, f.reference());
        String back = Optional.ofNullable(formValue(req, "return")).filter(ConsoleRoutes::localPath).orElse("/console/approvals");
        return WebSafety.redirect(back + (back.contains("?") ? "&" : "?") + "notice=stepped-up");
    }

    // --- assets

    private ApiResponse asset(ApiRequest req) throws IOException {
        String path = ASSETS.get(req.pathParam("name"));
        if (path == null) return ApiResponse.text(404, "text/plain; charset=utf-8", "not found");
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) return ApiResponse.text(404, "text/plain; charset=utf-8", "not found");
            String type = path.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            return WebSafety.harden(ApiResponse.bytes(200, type, in.readAllBytes()));
        }
    }

    // --- small helpers

    /** Only paths of this console: an open redirect must not send a person elsewhere after a step-up. */
    static boolean localPath(String p) {
        return p != null && p.startsWith("/console") && !p.startsWith("//") && !p.contains("\\") && p.chars().noneMatch(Character::isISOControl);
    }

    private static String formValue(ApiRequest req, String name) {
        if (!req.header("content-type").map(c -> c.startsWith("application/x-www-form-urlencoded")).orElse(false)) return null;
        List<String> v = req.form().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String q(ApiRequest req, String name) { return req.query(name).map(String::strip).filter(v -> !v.isEmpty()).orElse(null); }

    private static Instant instant(String field, String value) {
        if (value == null) return null;
        try {
            return Instant.parse(value.length() == 16 ? value + ":00Z" : value.length() == 19 ? value + "Z" : value);
        } catch (DateTimeParseException e) {
            throw new Problem.Invalid(field, field + " must be a time such as 2026-01-31T12:00");
        }
    }

    private static Long longParam(ApiRequest req, String name) {
        String v = q(req, name);
        if (v == null) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(name, name + " must be a version number");
        }
    }

    private static String queryString(ApiRequest req) {
        StringBuilder b = new StringBuilder();
        req.queryParams().forEach((k, vs) -> vs.forEach(v -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return b.toString();
    }

    private static String roles(ConsoleSession s) {
        return String.join(", ", s.user().roles().stream().map(Role::wire).sorted().toList());
    }

    private static String clip(String s, int max) {
        String clean = s.replaceAll("[^A-Za-z0-9_.-]", "");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
