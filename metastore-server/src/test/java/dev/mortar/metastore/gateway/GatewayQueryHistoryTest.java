package dev.mortar.metastore.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GET /queries: the gateway's last statements, newest first, as the Hive JDBC driver ran them; bounded by mortar.gateway.history.size. */
class GatewayQueryHistoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> get(TestServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode awaitQueries(TestServer server, int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            JsonNode queries = JSON.readTree(get(server, "/queries").body()).path("Queries");
            if (queries.size() >= count) {
                return queries;
            }
            assertThat(Instant.now()).as(count + " statements in the history").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void theLastStatementsAreKeptNewestFirst() throws Exception {
        try (TestServer server = TestServer.start(Map.of("mortar.gateway.history.size", "2"))) {
            try (Connection c = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "history", "");
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
                try (ResultSet rs = s.executeQuery("SELECT * FROM range(5)")) {
                    while (rs.next()) {
                        // fetch them all
                    }
                }
                assertThatThrownBy(() -> s.executeQuery("SELECT no_such_column")).isInstanceOf(SQLException.class);
            }
            JsonNode queries = awaitQueries(server, 2);
            // two kept: the failed statement, then the range
            assertThat(queries).hasSize(2);
            assertThat(queries.get(0).path("State").asText()).isEqualTo("ERROR");
            assertThat(queries.get(0).path("Statement").asText()).isEqualTo("SELECT no_such_column");
            assertThat(queries.get(0).path("Error").asText()).contains("no_such_column");
            assertThat(queries.get(1).path("User").asText()).isEqualTo("history");
            assertThat(queries.get(1).path("State").asText()).isEqualTo("FINISHED");
            assertThat(queries.get(1).path("Rows").asLong()).isEqualTo(5);
            assertThat(queries.get(1).path("DurationMillis").asLong()).isNotNegative();

            assertThat(JSON.readTree(get(server, "/queries?limit=1").body()).path("Queries")).hasSize(1);
            assertThat(get(server, "/queries?limit=x").statusCode()).isEqualTo(400);
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort() + "/queries"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(JSON.readTree(post.body()).path("__type").asText()).isEqualTo("MethodNotAllowedException");
        }
    }
}
