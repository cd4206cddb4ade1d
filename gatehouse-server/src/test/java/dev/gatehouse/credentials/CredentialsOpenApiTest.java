package dev.gatehouse.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.http.Router;
import dev.gatehouse.http.SystemRoutes;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CredentialsOpenApiTest {
    @Test
    void everyCredentialsRouteIsDocumented() throws Exception {
        Router router = new Router();
        new KeyRoutes(null, null, null).register(router);
        new CredentialRoutes(null).register(router);
        new TokenRoutes(null).register(router);
        new TaskRoutes(null, null).register(router);
        JsonNode paths = Broker.JSON.readTree(SystemRoutes.openApiDocument()).path("paths");
        assertThat(router.routes()).hasSize(15);
        for (Router.Route r : router.routes()) {
            assertThat(paths.path(r.pattern()).has(r.method().toLowerCase(Locale.ROOT))).as(r.method() + " " + r.pattern()).isTrue();
        }
    }
}
