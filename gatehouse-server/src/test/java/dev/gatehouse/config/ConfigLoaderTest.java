package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreSafe() {
        GatehouseConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.server().bind()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo("./data");
        assertThat(c.db().url()).isNull();
        assertThat(c.inventory().environments()).containsExactly("dev", "staging", "prod");
    }

    @Test
    void stdioCommandsAreNamedByTheOperatorInTheFileOrOneJsonVariable() throws Exception {
        Path file = tmp.resolve("gatehouse.yaml");
        Files.writeString(file, "gateway:\n  stdioCommands:\n    files:\n      command: [npx, server-filesystem, /srv]\n"
                + "      env: {NODE_OPTIONS: --max-old-space-size=256}\noutbound:\n  allow: [10.20.0.0/16, mcp.internal]\n");
        GatehouseConfig c = ConfigLoader.load(file, Map.of());
        assertThat(c.gateway().stdioCommands()).containsOnlyKeys("files");
        assertThat(c.gateway().stdioCommands().get("files").command()).containsExactly("npx", "server-filesystem", "/srv");
        assertThat(c.gateway().stdioCommands().get("files").env()).containsEntry("NODE_OPTIONS", "--max-old-space-size=256");
        assertThat(c.outbound().allow()).containsExactly("10.20.0.0/16", "mcp.internal");
        GatehouseConfig fromEnv = ConfigLoader.load(null, Map.of("GATEHOUSE_GATEWAY_STDIO_COMMANDS", "{\"everything\":{\"command\":[\"node\",\"e.js\"]}}"));
        assertThat(fromEnv.gateway().stdioCommands().get("everything").command()).containsExactly("node", "e.js");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GATEHOUSE_GATEWAY_STDIO_COMMANDS", "[\"node\"]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gateway.stdioCommands");
    }

    @Test
    void fileThenEnvironmentThenFlags() throws Exception {
        Path file = tmp.resolve("gatehouse.yaml");
        Files.writeString(file, "server:\n  port: 9000\n  bind: 0.0.0.0\ndb:\n  user: gh\ninventory:\n  environments: [dev, prod, lab]\n");
        GatehouseConfig c = ConfigLoader.load(file, Map.of("GATEHOUSE_SERVER_PORT", "9100", "GATEHOUSE_DB_PASSWORD", "pw",
                "GATEHOUSE_SERVER_MAX_BODY_BYTES", "2048"), Map.of("server.bind", "127.0.0.2"));
        assertThat(c.server().port()).isEqualTo(9100);
        assertThat(c.server().bind()).isEqualTo("127.0.0.2");
        assertThat(c.server().maxBodyBytes()).isEqualTo(2048);
        assertThat(c.db().user()).isEqualTo("gh");
        assertThat(c.db().password()).isEqualTo("pw");
        assertThat(c.inventory().environments()).containsExactly("dev", "prod", "lab");
        assertThat(ConfigLoader.load(null, Map.of("GATEHOUSE_INVENTORY_ENVIRONMENTS", "a,b")).inventory().environments()).containsExactly("a", "b");
    }

    @Test
    void unknownKeysAndVariablesAreErrors() throws Exception {
        Path file = tmp.resolve("typo.yaml");
        Files.writeString(file, "server:\n  prot: 9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("server.prot");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GATEHOUSE_SERVR_PORT", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GATEHOUSE_SERVR_PORT");
        Files.writeString(file, "server:\n  port: lots\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class);
        assertThat(ConfigLoader.load(null, Map.of("GATEHOUSE_TOKEN", "x", "GATEHOUSE_BOOTSTRAP_TOKEN", "y")).server().port()).isEqualTo(8080);
    }
}
