package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /metrics counts the gateway's statements by outcome, their durations and the rows fetched, as the Hive JDBC driver sees them end. */
class GatewayMetricsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private static double metric(String name) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+]+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void awaitMetric(String name, double atLeast) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (metric(name) < atLeast) {
            assertThat(Instant.now()).as(name + " reaches " + atLeast).isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void statementsAreCountedByOutcomeWithTheirRows() throws Exception {
        try (Connection c = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "metrics", "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT * FROM range(5)")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(5);
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT no_such_column")).isInstanceOf(SQLException.class);
        }
        awaitMetric("mortar_gateway_query_duration_seconds_count{state=\"FINISHED\"}", 1);
        awaitMetric("mortar_gateway_query_duration_seconds_count{state=\"ERROR\"}", 1);
        assertThat(metric("mortar_gateway_query_rows_total{state=\"FINISHED\"}")).isGreaterThanOrEqualTo(5);
    }
}
