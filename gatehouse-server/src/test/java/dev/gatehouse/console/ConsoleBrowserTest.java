package dev.gatehouse.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.demo.DemoToolServer;
import dev.gatehouse.testing.Chromium;
import dev.gatehouse.testing.TestGatehouse;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * The console as people use it, in Debian's headless Chromium driven by Selenium: single sign-on through a real
 * OpenID provider running in the test (mock-oauth2-server: authorization code flow with PKCE, custom claims),
 * a virtual WebAuthn authenticator (the Chrome DevTools WebAuthn domain, through chromedriver) enrolled from the
 * console, a held gateway call approved from the inbox with a fresh step-up, the call then running exactly
 * once, and the approval — naming the factor — in the audit view; an auditor cannot approve and a POST without
 * the session's CSRF token is refused. Every page is kept as a screenshot under {@code target/console/}.
 */
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target", "console");

    @TempDir
    Path dir;

    @Test
    void ownerSignsInEnrolsAKeyAndApprovesAHeldCallWithStepUpWhileAnAuditorCannot() throws Exception {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        ConsoleWorld.TestClock clock = new ConsoleWorld.TestClock();
        ChromeDriver browser = null;
        try (DemoToolServer upstream = new DemoToolServer().start();
             TestGatehouse gh = TestGatehouse.start(dir.resolve("data"), null, TestGatehouse.withLoopbackPeers(Map.of(
                     "console.oidc.issuer", idp.issuerUrl("corp").toString(),
                     "console.oidc.clientId", "gatehouse-console",
                     "console.oidc.clientSecret", "console-client-secret-0123456789",
                     "console.oidc.roleMapping", "gh-approvers=approver,gh-auditors=auditor",
                     "lifecycle.sweepSeconds", "3600")), clock)) {
            ConsoleWorld world = new ConsoleWorld(gh, upstream);
            String base = "http://localhost:" + gh.gatehouse().port();
            browser = Chromium.start(1280, 900);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

            // Single sign-on: maria is in the provider's approvers group.
            idp.enqueueCallback(person("maria-at-idp", "maria@example.com", "Maria Lopez", List.of("gh-approvers")));
            browser.get(base + "/console");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-sso")));
            shot(browser, "sign-in");
            browser.findElement(By.id("sign-in-sso")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("inventory")));
            assertThat(browser.getCurrentUrl()).isEqualTo(base + "/console/inventory");
            assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("Maria Lopez");
            assertThat(browser.findElement(By.id("roles")).getText()).isEqualTo("approver, owner");
            assertThat(browser.manage().getCookieNamed("__Host-gatehouse-session")).satisfies(c -> {
                assertThat(c.isHttpOnly()).isTrue();
                assertThat(c.isSecure()).isTrue();
                assertThat(c.getSameSite()).isEqualTo("Lax");
            });
            // An owner without a reader role sees herself and what she owns, not audrey.
            assertThat(browser.findElements(By.cssSelector("#inventory tbody tr"))).extracting(r -> r.getAttribute("data-identity"))
                    .containsExactlyInAnyOrder("maria", "support-agent");
            shot(browser, "inventory");
            browser.findElement(By.linkText("support-agent")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
            assertThat(browser.findElement(By.id("facts")).getText()).contains("maria", "resolves customer support tickets");
            shot(browser, "identity");

            // Enrol a passkey on a virtual authenticator: enrolling proves the key, which counts as a step-up.
            VirtualAuthenticator authenticator = browser.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                    .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2).setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                    .setHasUserVerification(true).setIsUserVerified(true).setHasResidentKey(true));
            browser.get(base + "/console/security");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("enrol-webauthn"))).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
            assertThat(browser.findElements(By.cssSelector("#factors tr[data-type='webauthn']"))).hasSize(1);
            assertThat(authenticator.getCredentials()).hasSize(1);
            shot(browser, "factors");

            // The agent opens a task (its key's assertion is checked against the server's clock, so before the clock moves)…
            ConsoleWorld.Agent agent = new ConsoleWorld.Agent(gh.baseUri(), world.agentToken("ship billing-api 2.4.1 to prod (CHG-2291)"));
            // …and minutes pass: the step-up of the enrolment is now too old to decide with.
            clock.advance(Duration.ofMinutes(6));
            Map<String, String> deploy = Map.of("service", "billing-api", "version", "2.4.1", "environment", "prod");
            JsonNode held = agent.call("deploy_service", deploy);
            String requestId = ConsoleWorld.heldRequest(held);
            assertThat(requestId).as(held.toString()).startsWith("apr_");
            assertThat(upstream.calls("deploy_service")).isZero();

            browser.get(base + "/console/approvals");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("held-" + requestId)));
            WebElement card = browser.findElement(By.id("held-" + requestId));
            assertThat(card.getText()).contains("support/deploy_service", "Support agent", "maria", "ship billing-api 2.4.1 to prod",
                    "risk critical", "starter.autonomous-high-risk-needs-owner", "\"version\":\"2.4.1\"");
            assertThat(browser.findElements(By.id("step-up"))).as("step-up is asked for").hasSize(1);
            shot(browser, "approvals");
            card.findElement(By.name("comment")).sendKeys("release approved in CHG-2291");
            card.findElement(By.cssSelector("button.approve")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("problem")));
            assertThat(browser.findElement(By.id("problem")).getText()).contains("second factor");
            assertThat(gh.client().get("v1/approvals/" + requestId).path("status").asText()).isEqualTo("pending");

            // Step up with the security key, then approve.
            browser.get(base + "/console/approvals");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("step-up-webauthn"))).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stepped-up")));
            card = browser.findElement(By.id("held-" + requestId));
            card.findElement(By.name("comment")).sendKeys("release approved in CHG-2291");
            card.findElement(By.cssSelector("button.approve")).click();
            wait.until(ExpectedConditions.textToBe(By.id("notice"), "Approved: the agent's next identical call runs once."));
            assertThat(browser.findElements(By.id("held-" + requestId))).isEmpty();
            shot(browser, "approved");

            // The agent's retry runs once; a replay does not run again.
            JsonNode ran = agent.call("deploy_service", deploy);
            assertThat(ran.path("result").path("isError").asBoolean()).as(ran.toString()).isFalse();
            assertThat(upstream.calls("deploy_service")).isEqualTo(1);
            agent.call("deploy_service", deploy);
            assertThat(upstream.calls("deploy_service")).as("the grant was one-time").isEqualTo(1);

            // The approval in the audit record names the factor.
            JsonNode approved = gh.client().get("v1/audit/events", Map.of("type", "approval.approved")).path("items").get(0);
            assertThat(approved.path("actor").asText()).isEqualTo("human:maria");
            assertThat(approved.path("detail").path("factor").asText()).startsWith("webauthn:fac_");
            assertThat(approved.path("detail").path("credential").asText()).isEqualTo("console-session");

            // A POST without the session's CSRF token is refused, whatever else it carries.
            JsonNode csrfless = post(browser, base + "/console/approvals/" + requestId + "/deny", null);
            assertThat(csrfless.path("status").asInt()).isEqualTo(403);
            assertThat(csrfless.path("body").asText()).contains("csrf_failed");

            // Sign out; the session cookie is now worthless.
            browser.findElement(By.id("sign-out")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-sso")));
            browser.get(base + "/console/approvals");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-sso")));

            // The auditor reads the audit trail and the held request, but cannot approve it.
            JsonNode another = agent.call("deploy_service", Map.of("service", "billing-api", "version", "2.4.2", "environment", "prod"));
            String secondRequest = ConsoleWorld.heldRequest(another);
            idp.enqueueCallback(person("audrey-at-idp", "audrey@example.com", "Audrey Auditor", List.of("gh-auditors")));
            browser.findElement(By.id("sign-in-sso")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("inventory")));
            assertThat(browser.findElement(By.id("roles")).getText()).isEqualTo("auditor, owner");

            browser.get(base + "/console/audit?type=approval.approved");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
            WebElement entry = browser.findElement(By.cssSelector("#timeline li[data-type='approval.approved']"));
            assertThat(entry.getText()).contains("human:maria", "support/deploy_service", "factor=webauthn:fac_", "release approved in CHG-2291");
            browser.findElement(By.id("verify-chain")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("chain-status")));
            assertThat(browser.findElement(By.id("chain-status")).getText()).startsWith("Intact:");
            shot(browser, "audit");

            browser.get(base + "/console/approvals");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("held-" + secondRequest)));
            assertThat(browser.findElement(By.id("held-" + secondRequest)).findElements(By.cssSelector("form.decide"))).as("no decision form").isEmpty();
            JsonNode forged = post(browser, base + "/console/approvals/" + secondRequest + "/approve", "token");
            assertThat(forged.path("status").asInt()).as(forged.toString()).isEqualTo(403);
            assertThat(gh.client().get("v1/approvals/" + secondRequest).path("status").asText()).isEqualTo("pending");

            browser.get(base + "/console/policies");
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#run-tests button"))).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("test-summary")));
            assertThat(browser.findElement(By.id("test-summary")).getText()).matches("\\d+ passed, 0 failed .*");
            shot(browser, "policies");

            browser.get(base + "/console/posture");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg.chart")));
            assertThat(browser.findElements(By.cssSelector("svg.chart"))).extracting(c -> c.getAttribute("data-chart"))
                    .containsExactly("findings-by-severity", "findings-by-owner", "credential-ages", "granted-vs-used");
            shot(browser, "posture");

            browser.get(base + "/console/audit/trace/support-agent");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("trace-answers")));
            shot(browser, "trace");

        } finally {
            if (browser != null) browser.quit();
            idp.shutdown();
        }
    }

    /** What the provider will say about the next person who signs in. */
    static DefaultOAuth2TokenCallback person(String subject, String email, String name, List<String> groups) {
        return new DefaultOAuth2TokenCallback("corp", subject, "JWT", List.of("gatehouse-console"),
                Map.of("email", email, "email_verified", true, "name", name, "groups", groups), 3600);
    }

    /** A POST from the page's own origin; {@code csrf} "token" sends the session's token, null sends none. */
    static JsonNode post(ChromeDriver browser, String url, String csrf) throws Exception {
        Object result = browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const headers = {'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json'};"
                + "if (arguments[1]) headers['X-CSRF-Token'] = document.querySelector('meta[name=csrf-token]').content;"
                + "fetch(arguments[0], {method: 'POST', headers: headers, body: 'comment=forged', credentials: 'same-origin'})"
                + ".then(r => r.text().then(t => done(JSON.stringify({status: r.status, body: t}))))"
                + ".catch(e => done(JSON.stringify({status: -1, body: String(e)})));", url, csrf);
        return ConsoleWorld.JSON.readTree(String.valueOf(result));
    }

    static void shot(ChromeDriver browser, String name) throws Exception {
        Files.createDirectories(SHOTS);
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
