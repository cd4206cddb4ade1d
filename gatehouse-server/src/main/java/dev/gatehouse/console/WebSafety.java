package dev.gatehouse.console;

import dev.gatehouse.http.ApiRequest;
import dev.gatehouse.http.ApiResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The browser-facing rules of the console in one place: cookie attributes, the response headers every
 * page carries (a strict Content Security Policy first), and the CSRF comparison.
 *
 * <p>CSP: scripts and styles only from this origin (htmx and the console's own script are served here; no
 * inline script or style anywhere), no plugins, no framing, forms post only here, no {@code <base>}.
 */
final class WebSafety {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final boolean secureCookies;

    WebSafety(boolean secureCookies) { this.secureCookies = secureCookies; }

    /** Session cookie name; the {@code __Host-} prefix (Secure, Path=/, no Domain) pins it to this exact origin. */
    String sessionCookie() { return secureCookies ? "__Host-gatehouse-session" : "gatehouse-session"; }

    /** The pre-sign-in cookie: binds a sign-in in flight and the sign-in forms to one browser. */
    String browserCookie() { return secureCookies ? "__Host-gatehouse-browser" : "gatehouse-browser"; }

    /**
     * HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs or sub-requests; sent on the
     * top-level navigation back from the identity provider, which the sign-in needs), Secure unless turned off.
     */
    String setCookie(String name, String value, long maxAgeSeconds) {
        return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : "")
                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "");
    }

    String clearCookie(String name) { return setCookie(name, "", 0); }

    static ApiResponse harden(ApiResponse r) {
        return r.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .header("Permissions-Policy", "publickey-credentials-create=(self), publickey-credentials-get=(self), camera=(), microphone=(), geolocation=()");
    }

    /** A cookie's value from the request's {@code Cookie} header (RFC 6265 section 5.4 syntax). */
    static Optional<String> cookie(ApiRequest req, String name) {
        String header = req.header("cookie").orElse("");
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equals(name)) return Optional.of(part.substring(eq + 1).strip());
        }
        return Optional.empty();
    }

    /** Constant-time: a CSRF token must not be guessable a character at a time from response timings. */
    static boolean same(String expected, String presented) {
        if (expected == null || presented == null) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** A state-changing request from a page of another origin is refused whatever token it carries. */
    static boolean sameOrigin(ApiRequest req, URI publicUrl) {
        Optional<String> origin = req.header("origin");
        if (origin.isEmpty()) return true; // not sent by every client on same-origin form posts; the token decides then
        return origin.get().equals(publicUrl.getScheme() + "://" + publicUrl.getAuthority());
    }

    static ApiResponse redirect(String location) {
        return harden(ApiResponse.text(303, "text/plain; charset=utf-8", "").header("Location", location));
    }
}
