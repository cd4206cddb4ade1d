package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The PostgreSQL suites run on any machine: the configured server when it answers, else the embedded one. */
class TestStoresTest {
    @Test
    void theConfiguredServerIsUsedWhenItAnswersElseAnEmbeddedOne() throws Exception {
        String configured = System.getProperty("gatehouse.test.pg", "jdbc:postgresql://127.0.0.1:5432/test");
        Properties props = new Properties();
        props.setProperty("user", TestStores.pgUser());
        props.setProperty("connectTimeout", "3");
        boolean answers;
        try (Connection ignored = DriverManager.getConnection(configured, props)) {
            answers = true;
        } catch (java.sql.SQLException e) {
            answers = false;
        }
        assertThat(TestStores.usesEmbeddedPostgres()).isEqualTo(!answers);
        assertThat(TestStores.pgBaseUrl()).isEqualTo(answers ? configured : TestStores.pgBaseUrl());

        String url = TestStores.freshUrl(TestStores.Kind.POSTGRES, null);
        try (Connection c = DriverManager.getConnection(url, TestStores.pgUser(), null); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_schema()")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).as("each fresh store is its own schema").startsWith("gh_");
        }
    }
}
