package dev.gatehouse.posture;

import static dev.gatehouse.posture.PostureFixture.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.credentials.ClientAuthenticator;
import dev.gatehouse.testing.TestGatehouse;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery end to end through the API: real export formats (an AWS IAM credential report, a
 * {@code kubectl get serviceaccounts -A -o json} list, GitHub's organisation installations), bad input
 * refused with nothing written, adoption into the inventory, and a Kubernetes workload presenting a
 * verified token for a subject no identity is bound to.
 */
class DiscoveryTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String K8S = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    @TempDir
    Path dir;

    @Test
    void exportsBecomeUnmanagedIdentitiesWithTheirFactsAndAdoptionMakesThemInventoryIdentities() throws Exception {
        PostureFixture.TestClock clock = new PostureFixture.TestClock(NOW);
        try (TestGatehouse gh = TestGatehouse.start(dir, null, Map.of(), clock)) {
            PostureFixture f = new PostureFixture(gh, clock);
            f.human("alice");
            String report = PostureFixture.resource("aws-credential-report.csv");

            HttpResponse<String> aws = f.http("POST", "/v1/discovery/import", Map.of("format", "aws-iam-credential-report", "content", report),
                    TestGatehouse.ADMIN_TOKEN);
            assertOk(aws, 200);
            JsonNode result = f.json(aws);
            // maria.lopez has a console password and no key: a person, not a non-human identity.
            assertThat(result.path("entries").asInt()).isEqualTo(4);
            assertThat(result.path("created").asInt()).isEqualTo(4);
            JsonNode deployer = find(result.path("items"), "ci-deployer");
            assertThat(deployer.path("status").asText()).isEqualTo("unmanaged");
            assertThat(deployer.path("kind").asText()).isEqualTo("workload");
            assertThat(deployer.path("externalId").asText()).isEqualTo("arn:aws:iam::123456789012:user/ci/ci-deployer");
            assertThat(deployer.path("facts").path("oldestActiveKeyAgeDays").asLong()).isEqualTo(1447); // rotated 2022-03-14T12:05, whole days to 2026-03-01T12:00
            assertThat(deployer.path("facts").path("accessKeys").size()).isEqualTo(2);
            assertThat(deployer.path("facts").path("accessKeys").get(1).path("lastUsedService").asText()).isEqualTo("ecs");
            assertThat(deployer.path("facts").path("lastUsed").asText()).isEqualTo("2026-02-28T23:55:00Z");
            JsonNode legacy = find(result.path("items"), "legacy-backup");
            assertThat(legacy.path("facts").path("accessKeys").get(0).has("lastUsed")).isFalse(); // no_information
            assertThat(legacy.path("facts").path("consolePassword").asBoolean()).isTrue();

            // The AWS CLI's own answer (base64 Content) is the same report: entries are refreshed, not duplicated.
            String cli = "{\"Content\":\"" + Base64.getEncoder().encodeToString(report.getBytes(StandardCharsets.UTF_8))
                    + "\",\"ReportFormat\":\"text/csv\",\"GeneratedTime\":\"2026-03-01T11:58:02+00:00\"}";
            JsonNode again = f.json(f.http("POST", "/v1/discovery/import", Map.of("format", "aws-iam-credential-report", "content", cli),
                    TestGatehouse.ADMIN_TOKEN));
            assertThat(again.path("created").asInt()).isZero();
            assertThat(again.path("updated").asInt()).isEqualTo(4);
            assertThat(find(again.path("items"), "ci-deployer").path("seenCount").asInt()).isEqualTo(2);

            JsonNode k8s = f.json(f.http("POST", "/v1/discovery/import", Map.of("format", "kubernetes-serviceaccounts", "content",
                    PostureFixture.resource("kubernetes-serviceaccounts.json")), TestGatehouse.ADMIN_TOKEN));
            assertThat(k8s.path("entries").asInt()).isEqualTo(4);
            JsonNode jenkins = find(k8s.path("items"), "ci/jenkins");
            assertThat(jenkins.path("externalId").asText()).isEqualTo("system:serviceaccount:ci:jenkins");
            assertThat(jenkins.path("facts").path("tokenSecrets").get(0).asText()).isEqualTo("jenkins-token-x7k2p");
            assertThat(jenkins.path("facts").has("automountServiceAccountToken")).isFalse();
            JsonNode ledger = find(k8s.path("items"), "payments/ledger-sync");
            assertThat(ledger.path("facts").path("cloudRole").asText()).isEqualTo("arn:aws:iam::123456789012:role/payments-ledger-sync");
            assertThat(ledger.path("facts").path("annotations").has("kubectl.kubernetes.io/last-applied-configuration")).isFalse();

            JsonNode gitHub = f.json(f.http("POST", "/v1/discovery/import", Map.of("format", "github-app-installations", "content",
                    PostureFixture.resource("github-app-installations.json")), TestGatehouse.ADMIN_TOKEN));
            JsonNode drafter = find(gitHub.path("items"), "release-drafter-plus@acme-corp");
            assertThat(drafter.path("facts").path("writePermissions").toString()).isEqualTo("[\"contents\",\"pull_requests\"]");
            assertThat(drafter.path("facts").path("repositorySelection").asText()).isEqualTo("all");

            // Bad input: a clear error naming the field, and nothing recorded.
            int before = list(f, null).size();
            HttpResponse<String> wrong = f.http("POST", "/v1/discovery/import", Map.of("format", "aws-iam-credential-report", "content",
                    "user,arn\nbob,arn:aws:iam::1:user/bob\n"), TestGatehouse.ADMIN_TOKEN);
            assertOk(wrong, 400);
            assertThat(f.json(wrong).path("field").asText()).isEqualTo("content");
            assertThat(f.json(wrong).path("message").asText()).contains("user_creation_time");
            HttpResponse<String> notK8s = f.http("POST", "/v1/discovery/import", Map.of("format", "kubernetes-serviceaccounts", "content",
                    "{\"kind\":\"List\",\"items\":[{\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\",\"namespace\":\"y\"}}]}"), TestGatehouse.ADMIN_TOKEN);
            assertOk(notK8s, 400);
            assertThat(f.json(notK8s).path("message").asText()).contains("items[0] is a Secret");
            assertOk(f.http("POST", "/v1/discovery/import", Map.of("format", "ldap", "content", "x"), TestGatehouse.ADMIN_TOKEN), 400);
            assertThat(list(f, null)).hasSize(before);
            assertThat(before).isEqualTo(10);

            // Posture sees them: unmanaged, the root account's keys critical, the 2018 key long-lived.
            JsonNode posture = gh.client().get("v1/posture");
            assertThat(findings(posture, "unmanaged_identity")).hasSize(10);
            assertThat(findings(posture, "insecure_cloud_configuration")).anySatisfy(x -> {
                assertThat(x.path("severity").asText()).isEqualTo("critical");
                assertThat(x.path("owaspNhi").toString()).contains("NHI6");
            });
            assertThat(findings(posture, "long_lived_secret")).extracting(x -> x.path("detail").path("name").asText())
                    .contains("ci-deployer", "legacy-backup", "root account").doesNotContain("billing-export");
            assertThat(findings(posture, "third_party_write_access")).singleElement()
                    .satisfies(x -> assertThat(x.path("detail").path("name").asText()).isEqualTo("release-drafter-plus@acme-corp"));
            assertThat(posture.path("owaspNhi").path("NHI1").path("status").asText()).isEqualTo("fail");

            // Adoption: an owner takes ci-deployer into the inventory.
            String id = deployer.path("id").asText();
            HttpResponse<String> adopted = f.http("POST", "/v1/discovery/" + id + "/adopt", Map.of("owner", "alice", "purpose",
                    "deploys from CI", "environment", "prod", "scope", Map.of("tools", List.of("registry/*"), "effects", List.of("read"))),
                    TestGatehouse.ADMIN_TOKEN);
            assertOk(adopted, 201);
            assertThat(f.json(adopted).path("id").asText()).isEqualTo("ci-deployer");
            assertThat(f.json(adopted).path("owner").asText()).isEqualTo("alice");
            assertThat(gh.client().get("v1/discovery/" + id).path("adoptedAs").asText()).isEqualTo("ci-deployer");
            assertThat(list(f, "unmanaged")).hasSize(9);
            assertOk(f.http("POST", "/v1/discovery/" + id + "/adopt", Map.of("owner", "alice", "purpose", "x", "environment", "prod",
                    "scope", Map.of("tools", List.of("registry/*"), "effects", List.of("read"))), TestGatehouse.ADMIN_TOKEN), 409);
            // An invalid adoption leaves the entry unmanaged.
            String jenkinsId = jenkins.path("id").asText();
            HttpResponse<String> noOwner = f.http("POST", "/v1/discovery/" + jenkinsId + "/adopt", Map.of("owner", "nobody", "purpose", "ci",
                    "environment", "prod", "scope", Map.of("tools", List.of("ci/*"), "effects", List.of("read"))), TestGatehouse.ADMIN_TOKEN);
            assertOk(noOwner, 400);
            assertThat(f.json(noOwner).path("field").asText()).isEqualTo("owner");
            assertThat(gh.client().get("v1/discovery/" + jenkinsId).path("status").asText()).isEqualTo("unmanaged");
            assertThat(f.audit("discovery.*")).extracting(r -> r.path("type").asText())
                    .containsExactly("discovery.imported", "discovery.imported", "discovery.imported", "discovery.imported", "discovery.adopted");
        }
    }

    @Test
    void aVerifiedFederatedTokenForAnUnboundSubjectIsDiscoveredAndAdoptionBindsIt() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k8s-1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        String federation = "[{\"issuer\":\"" + K8S + "\",\"audience\":\"gatehouse\",\"jwksUri\":\"" + jwks.toUri() + "\"}]";
        try (TestGatehouse gh = TestGatehouse.start(dir.resolve("data"), null, Map.of("credentials.federation", federation))) {
            PostureFixture f = new PostureFixture(gh, null);
            f.human("alice");
            String sa = "system:serviceaccount:payments:ledger-sync";
            assertThat(tokenRequest(gh, jwt(key, sa)).statusCode()).isEqualTo(401);
            assertThat(tokenRequest(gh, jwt(key, sa)).statusCode()).isEqualTo(401);
            // A forged token (another key) proves nothing and is not recorded.
            RSAKey forger = new RSAKeyGenerator(2048).keyID("k8s-1").generate();
            assertThat(tokenRequest(gh, jwt(forger, "system:serviceaccount:evil:x")).statusCode()).isEqualTo(401);

            List<JsonNode> found = list(f, "unmanaged");
            assertThat(found).singleElement().satisfies(d -> {
                assertThat(d.path("source").asText()).isEqualTo("federated");
                assertThat(d.path("externalId").asText()).isEqualTo(K8S + "#" + sa);
                assertThat(d.path("seenCount").asInt()).isEqualTo(2);
                assertThat(d.path("facts").path("issuer").asText()).isEqualTo(K8S);
            });

            JsonNode identity = gh.client().post("v1/discovery/" + found.get(0).path("id").asText() + "/adopt", Map.of("id", "ledger-sync",
                    "owner", "alice", "purpose", "syncs the ledger", "environment", "prod", "scope",
                    Map.of("tools", List.of("ledger/*"), "effects", List.of("read", "write"))));
            assertThat(identity.path("tags").toString()).contains("discovered:federated");
            HttpResponse<String> ok = tokenRequest(gh, jwt(key, sa));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        }
    }

    private static String jwt(RSAKey key, String subject) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder()
                .issuer(K8S).subject(subject).audience("gatehouse").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static HttpResponse<String> tokenRequest(TestGatehouse gh, String assertion) throws Exception {
        String form = "grant_type=client_credentials&task_intent=sync&client_assertion_type="
                + URLEncoder.encode(ClientAuthenticator.JWT_BEARER, StandardCharsets.UTF_8) + "&client_assertion=" + assertion;
        return PostureFixture.HTTP.send(HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> list(PostureFixture f, String status) {
        JsonNode page = f.gh.client().get("v1/discovery", status == null ? Map.of() : Map.of("status", status));
        return StreamSupport.stream(page.path("items").spliterator(), false).toList();
    }

    static JsonNode find(JsonNode items, String name) {
        for (JsonNode i : items) if (i.path("name").asText().equals(name)) return i;
        throw new AssertionError("no " + name + " in " + items);
    }

    static List<JsonNode> findings(JsonNode posture, String type) {
        return StreamSupport.stream(posture.path("findings").spliterator(), false).filter(x -> x.path("type").asText().equals(type)).toList();
    }
}
