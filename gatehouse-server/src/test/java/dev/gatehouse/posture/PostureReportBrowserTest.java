package dev.gatehouse.posture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.testing.Chromium;
import dev.gatehouse.testing.Cli;
import dev.gatehouse.testing.TestGatehouse;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The posture report as a person reads it: {@code gatehouse posture report --format html -o FILE} on a
 * server with a realistic inventory, then the file opened — with Gatehouse stopped — in Debian's headless
 * chromium driven by Selenium through chromedriver: it renders, its four charts are SVG with bars that
 * carry the report's numbers, both OWASP tables have ten items, and a screenshot is kept under target/.
 */
class PostureReportBrowserTest {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theHtmlReportRendersWithItsChartsInARealBrowserWithoutGatehouseRunning() throws Exception {
        Path html = dir.resolve("posture-report.html");
        JsonNode report;
        PostureFixture.TestClock clock = new PostureFixture.TestClock(T0);
        try (TestGatehouse gh = TestGatehouse.start(dir.resolve("data"), null, Map.of("lifecycle.sweepSeconds", "3600"), clock)) {
            PostureFixture f = new PostureFixture(gh, clock);
            f.human("alice");
            f.human("bob");
            f.agent("support-bot", "alice", "prod", "assistive", List.of("zendesk/*", "mail/*"), List.of("read", "write"));
            f.agent("deploy-agent", "bob", "prod", "autonomous", List.of("ci/*"), List.of("read", "execute"));
            f.workload("nightly-etl", "bob", "staging", List.of("warehouse/*"), List.of("read"));
            f.secret("support-bot");
            f.secret("deploy-agent");
            gh.client().post("v1/tool-servers", Map.of("id", "zendesk", "url", "https://zendesk-mcp.internal.example/mcp", "trust", "approved",
                    "destination", "internal", "tools", List.of(Map.of("name", "search_tickets", "effect", "read", "risk", "low"),
                            Map.of("name", "export_all"))));
            gh.client().post("v1/discovery/import", Map.of("format", "aws-iam-credential-report", "content",
                    PostureFixture.resource("aws-credential-report.csv")));
            gh.client().post("v1/discovery/import", Map.of("format", "github-app-installations", "content",
                    PostureFixture.resource("github-app-installations.json")));
            for (int d = 0; d < 5; d++) {
                clock.set(T0.plus(Duration.ofDays(d)).plus(Duration.ofHours(10)));
                f.call("support-bot", "zendesk/search_tickets", "read", "internal", List.of());
                f.call("nightly-etl", "warehouse/load", "read", "internal", List.of());
            }
            f.call("support-bot", "zendesk/search_tickets", "read", "internal", List.of("secret.aws_access_key"));
            clock.set(T0.plus(Duration.ofDays(20)));
            gh.gatehouse().postureScheduler().runOnce();

            Map<String, String> env = Cli.adminEnv(gh);
            Cli.Run run = Cli.run(env, "posture", "report", "--format", "html", "-o", html.toString());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("wrote " + html);
            report = gh.client().get("v1/posture");

            Cli.Run table = Cli.run(env, "posture", "report");
            assertThat(table.exit()).isZero();
            assertThat(table.out()).contains("SEVERITY", "unmanaged_identity", "NHI10", "Human Use of NHI", "ASI04");
            Cli.Run bad = Cli.run(env, "posture", "report", "--format", "pdf");
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.err().strip().lines()).singleElement().satisfies(l -> assertThat(l).contains("--format must be table, json or html"));
        }
        String page = Files.readString(html);
        // Self-contained: nothing to run and nothing to fetch (the only URL is the SVG namespace name).
        assertThat(page).doesNotContain("<script", "<link", "src=", "href=", "url(").contains("<svg");
        int findings = report.path("findings").size();
        assertThat(findings).isGreaterThan(15);

        ChromeDriver browser = Chromium.start(1400, 2200);
        try {
            browser.get(html.toUri().toString());
            assertThat(browser.getTitle()).isEqualTo("Gatehouse posture report");
            List<WebElement> charts = browser.findElements(By.cssSelector("svg.chart"));
            assertThat(charts).extracting(c -> c.getAttribute("data-chart"))
                    .containsExactly("findings-by-severity", "findings-by-owner", "credential-ages", "granted-vs-used");
            for (WebElement chart : charts) {
                assertThat(chart.getSize().getWidth()).as("rendered width").isGreaterThan(100);
                assertThat(chart.findElements(By.cssSelector("rect.bar"))).as(chart.getAttribute("id")).isNotEmpty();
            }
            int severityTotal = browser.findElements(By.cssSelector("#findings-by-severity rect.bar")).stream()
                    .mapToInt(r -> Integer.parseInt(r.getAttribute("data-value"))).sum();
            assertThat(severityTotal).isEqualTo(findings);
            assertThat(browser.findElements(By.cssSelector("#findings tbody tr"))).hasSize(findings);
            int critical = Integer.parseInt(browser.findElement(By.cssSelector("#findings-by-severity rect.bar[data-label='critical']"))
                    .getAttribute("data-value"));
            assertThat(critical).isEqualTo(report.path("summary").path("bySeverity").path("critical").asInt()).isPositive();
            assertThat(browser.findElements(By.cssSelector("#owasp-nhi tbody tr"))).hasSize(10);
            assertThat(browser.findElements(By.cssSelector("#owasp-agentic tbody tr"))).hasSize(10);
            assertThat(browser.findElement(By.cssSelector("#granted-vs-used rect.bar[data-label='support-bot used']")).getAttribute("data-value"))
                    .isEqualTo("1");
            File shot = browser.getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", "posture-report.png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(html, Path.of("target", "posture-report.html"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(target)).isGreaterThan(10_000);
        } finally {
            browser.quit();
        }
    }
}
