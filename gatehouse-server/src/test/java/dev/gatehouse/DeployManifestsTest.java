package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.cli.Main;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.testing.TestGatehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** deploy/kubernetes agrees with the product: its configuration loads, its command parses, its probes exist. */
class DeployManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private static JsonNode manifest(String file) throws Exception {
        return YAML.readTree(Files.readString(DIR.resolve(file)));
    }

    @Test
    void theManifestsConfigurationCommandAndProbesAreOnesGatehouseAccepts() throws Exception {
        JsonNode kustomization = manifest("kustomization.yaml");
        for (JsonNode resource : kustomization.path("resources")) assertThat(DIR.resolve(resource.asText())).exists();

        // The ConfigMap's file, with the Secret's variables, loads strictly (an unknown key would fail).
        Path config = tmp.resolve("gatehouse.yaml");
        Files.writeString(config, manifest("configmap.yaml").path("data").path("gatehouse.yaml").asText());
        Map<String, String> env = new HashMap<>();
        manifest("secret.yaml").path("stringData").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        GatehouseConfig cfg = ConfigLoader.load(config, env);
        assertThat(cfg.db().url()).startsWith("jdbc:postgresql://");
        assertThat(cfg.server().bind()).isEqualTo("0.0.0.0");

        JsonNode pod = manifest("deployment.yaml").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(cfg.server().port());
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).as("the image's user").isEqualTo(10001);

        // The container's arguments are a command line `gatehouse` parses.
        List<String> args = YAML.convertValue(container.path("args"), new TypeReference<List<String>>() {});
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("serve");
        assertThat(args).contains("/etc/gatehouse/gatehouse.yaml");
        assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/etc/gatehouse", "/data", "/tmp");

        // Every probe asks a route a running Gatehouse answers without a token.
        try (TestGatehouse server = TestGatehouse.start(tmp.resolve("data"))) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                String path = container.path(probe).path("httpGet").path("path").asText();
                assertThat(server.http("GET", path, null, null).statusCode()).as(probe + " " + path).isEqualTo(200);
            }
        }
    }
}
