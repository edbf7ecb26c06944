package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Large results stream to the client in batches, through the Hive JDBC driver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayLargeResultTest {
    private static final long ROWS = 10_000_000L;

    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "512MB", "mortar.gateway.duckdb.threads", "2"));
        Path dir = server.dataDir.resolve("big");
        Files.createDirectories(dir);
        try (Connection duck = ShopCatalog.duckdb(); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT range AS id, (range % 1000)::INTEGER AS bucket FROM range(" + ROWS + ")) TO '"
                    + dir.resolve("part-0.parquet") + "' (FORMAT parquet)");
        }
        try (HiveMetaStoreClient client = server.client()) {
            var table = ShopCatalog.table("big", List.of(ShopCatalog.col("id", "bigint"), ShopCatalog.col("bucket", "int")),
                    ShopCatalog.sd(dir, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of()));
            table.setDbName("default");
            client.createTable(table);
        }
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    @Test
    void tenMillionRowsArriveInBatches() throws Exception {
        try (Connection c = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "analyst", "x");
             Statement s = c.createStatement()) {
            s.setFetchSize(50_000);
            long started = System.nanoTime();
            long rows = 0;
            long sum = 0;
            long bucketSum = 0;
            try (ResultSet rs = s.executeQuery("SELECT id, bucket FROM big")) {
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1);
                    bucketSum += rs.getInt(2);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("Fetched %,d rows through the gateway in %.1f s%n", rows, took.toMillis() / 1000.0);
            assertThat(rows).isEqualTo(ROWS);
            assertThat(sum).isEqualTo(ROWS * (ROWS - 1) / 2);
            assertThat(bucketSum).isEqualTo(ROWS / 1000 * (999L * 1000 / 2));
        }
    }

    /** Over the HTTP transport, each batch is one HTTP answer of several megabytes. */
    @Test
    void aMillionRowsArriveOverHttp() throws Exception {
        String url = "jdbc:hive2://127.0.0.1:" + server.server.gatewayHttpPort() + "/default;transportMode=http;httpPath=cliservice";
        try (Connection c = HiveJdbc.connect(url, "analyst", "x"); Statement s = c.createStatement()) {
            s.setFetchSize(200_000);
            long rows = 0;
            long sum = 0;
            try (ResultSet rs = s.executeQuery("SELECT id, bucket FROM big WHERE id < 1000000")) {
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1) + rs.getInt(2);
                }
            }
            assertThat(rows).isEqualTo(1_000_000);
            assertThat(sum).isEqualTo(1_000_000L * 999_999 / 2 + 1000L * (999L * 1000 / 2));
        }
    }

    @Test
    void theFirstRowsOfAnEndlessResultArriveAtOnce() throws Exception {
        // ten billion rows never fit in memory: reading the first ones only ends if the result streams
        try (Connection c = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "analyst", "x");
             Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT range FROM range(10000000000)")) {
                for (long i = 0; i < 50_000; i++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(i);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM big WHERE bucket = 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(ROWS / 1000);
            }
        }
    }
}
