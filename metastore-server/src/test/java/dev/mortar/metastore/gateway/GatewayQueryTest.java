package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SQL over catalog tables through the real Hive JDBC driver: formats, joins, types, views, pruning, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayQueryTest {
    private TestServer server;
    private ShopCatalog shop;
    private Connection connection;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.duckdb.threads", "2"));
        shop = ShopCatalog.create(server);
        connection = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/shop", "analyst", "any");
    }

    @AfterAll
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        server.close();
        server.deleteData();
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        return HiveJdbc.rows(connection, sql);
    }

    @Test
    void aggregatesOverPartitionedParquetAreExact() throws Exception {
        assertThat(rows("SELECT count(*) AS n, sum(amount) AS total, min(order_date) AS first_day FROM shop.orders"))
                .containsExactly(List.of(7L, new BigDecimal("595.89"), Date.valueOf("2024-01-01")));
        assertThat(rows("SELECT ds, count(*) FROM orders GROUP BY ds ORDER BY ds"))
                .containsExactly(List.of("2024-01-01", 3L), List.of("2024-01-02", 2L), List.of("2024-01-03", 2L));
    }

    @Test
    void joinsAcrossParquetCsvAndJson() throws Exception {
        assertThat(rows("SELECT c.name, sum(o.amount) AS total FROM shop.orders o JOIN shop.customers c ON o.customer_id = c.customer_id "
                + "GROUP BY c.name ORDER BY total DESC"))
                .containsExactly(List.of("Carla", new BigDecimal("250.00")), List.of("Alice", new BigDecimal("220.49")),
                        List.of("Bob", new BigDecimal("110.25")), List.of("Dan, Jr.", new BigDecimal("10.10")));
        assertThat(rows("SELECT c.name, e.kind, e.ts FROM shop.events e JOIN shop.customers c USING (customer_id) "
                + "WHERE e.score IS NOT NULL ORDER BY e.event_id"))
                .containsExactly(List.of("Alice", "login", Timestamp.valueOf("2024-01-01 10:00:00")),
                        List.of("Alice", "buy", Timestamp.valueOf("2024-01-01 10:05:30")),
                        List.of("Carla", "login", Timestamp.valueOf("2024-01-02 09:30:00")));
        assertThat(rows("SELECT c.name, r.country FROM shop.customers c LEFT JOIN shop.regions r ON c.city = r.city ORDER BY c.customer_id"))
                .containsExactly(List.of("Alice", "DE"), java.util.Arrays.asList("Bob", null), List.of("Carla", "PT"), List.of("Dan, Jr.", "FR"));
    }

    @Test
    void orderByLimitNullsDatesAndDecimals() throws Exception {
        assertThat(rows("SELECT order_id FROM shop.orders ORDER BY amount DESC LIMIT 3"))
                .containsExactly(List.of(4L), List.of(1L), List.of(3L));
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT order_id, note, amount, order_date FROM shop.orders WHERE ds = '2024-01-01' ORDER BY order_id")) {
            ResultSetMetaData meta = rs.getMetaData();
            assertThat(meta.getColumnType(1)).isEqualTo(Types.BIGINT);
            assertThat(meta.getColumnType(2)).isEqualTo(Types.VARCHAR);
            assertThat(meta.getColumnType(3)).isEqualTo(Types.DECIMAL);
            assertThat(meta.getPrecision(3)).isEqualTo(10);
            assertThat(meta.getScale(3)).isEqualTo(2);
            assertThat(meta.getColumnType(4)).isEqualTo(Types.DATE);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("first");
            assertThat(rs.getBigDecimal(3)).isEqualTo(new BigDecimal("120.50"));
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isNull();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getDate(4)).isEqualTo(Date.valueOf("2024-01-01"));
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBigDecimal(3)).isEqualTo(new BigDecimal("99.99"));
            assertThat(rs.next()).isFalse();
        }
        assertThat(rows("SELECT name, city, signup FROM shop.customers WHERE city IS NULL"))
                .containsExactly(java.util.Arrays.asList("Bob", null, Date.valueOf("2023-06-15")));
        assertThat(rows("SELECT city, population_m FROM shop.regions ORDER BY city"))
                .containsExactly(List.of("Berlin", 3.7), java.util.Arrays.asList("Lisbon", null), List.of("Paris", 2.1));
        assertThat(rows("SELECT CAST(1.5 AS DECIMAL(5,1)) * 3, DATE '2024-02-28' + INTERVAL 1 DAY"))
                .containsExactly(List.of(new BigDecimal("4.5"), Timestamp.valueOf("2024-02-29 00:00:00")));
    }

    @Test
    void catalogViewsAreExpanded() throws Exception {
        assertThat(rows("SELECT order_id, amount FROM shop.big_orders ORDER BY order_id"))
                .containsExactly(List.of(1L, new BigDecimal("120.50")), List.of(4L, new BigDecimal("250.00")));
    }

    @Test
    void aPartitionPredicateReadsOnlyThatPartitionsFiles() throws Exception {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(amount) FROM shop.orders WHERE ds = '2024-01-02'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("260.10"));
            }
            String log = String.join("\n", HiveJdbc.queryLog(s));
            assertThat(log).contains("Reading shop.orders: 1 files").contains(shop.partitionDir("2024-01-02").resolve("part-00000.parquet").toString());
            assertThat(log).doesNotContain("ds=2024-01-01").doesNotContain("ds=2024-01-03");

            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.orders WHERE ds IN ('2024-01-01', '2024-01-03') AND amount > 50")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3);
            }
            assertThat(String.join("\n", HiveJdbc.queryLog(s))).contains("Reading shop.orders: 2 files").doesNotContain("ds=2024-01-02");

            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN SELECT note FROM shop.orders WHERE ds = '2024-01-02'")) {
                while (rs.next()) {
                    plan.append(rs.getString(2));
                }
            }
            assertThat(plan.toString()).contains("READ_PARQUET");
        }
    }

    @Test
    void pruningNeverOpensFilesOfOtherPartitions() throws Exception {
        java.nio.file.Path dir = server.dataDir.resolve("pruning");
        Files.createDirectories(dir.resolve("ds=good"));
        Files.createDirectories(dir.resolve("ds=broken"));
        try (Connection duck = ShopCatalog.duckdb(); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT 1::BIGINT AS id) TO '" + dir.resolve("ds=good/part.parquet") + "' (FORMAT parquet)");
        }
        Files.writeString(dir.resolve("ds=broken/part.parquet"), "this is not parquet");
        try (var client = server.client()) {
            var table = ShopCatalog.table("pruned", List.of(ShopCatalog.col("id", "bigint")),
                    ShopCatalog.sd(dir, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of()));
            table.setPartitionKeys(List.of(ShopCatalog.col("ds", "string")));
            client.createTable(table);
            for (String value : List.of("good", "broken")) {
                var p = new org.apache.hadoop.hive.metastore.api.Partition();
                p.setDbName("shop");
                p.setTableName("pruned");
                p.setValues(List.of(value));
                p.setSd(table.getSd().deepCopy());
                p.getSd().setLocation(dir.resolve("ds=" + value).toUri().toString());
                p.setParameters(new java.util.HashMap<>());
                client.add_partition(p);
            }
        }
        assertThat(rows("SELECT id, ds FROM shop.pruned WHERE ds = 'good'")).containsExactly(List.of(1L, "good"));
        assertThatThrownBy(() -> rows("SELECT count(*) FROM shop.pruned"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ds=broken/part.parquet");
        assertThat(rows("SELECT 42")).containsExactly(List.of(42));
    }

    @Test
    void badSqlFailsWithSqlStateAndTheSessionGoesOn() throws Exception {
        try (Statement s = connection.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELEC order_id FROM shop.orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).contains("syntax error at or near \"SELEC\"");
                    });
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(7);
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM shop.nope"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42S02");
                        assertThat(e.getMessage()).isEqualTo("Table not found: shop.nope");
                    });
            // unqualified, resolved by the engine: the error names the catalog's table, not the engine's system tables
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM pg_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42S02");
                        assertThat(e.getMessage()).isEqualTo("Table not found: pg_table (no such table in the current database; SHOW TABLES lists them)");
                    });
            assertThatThrownBy(() -> s.executeQuery("SELECT no_such_column FROM shop.orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).contains("Binder Error").contains("no_such_column");
                    });
            assertThatThrownBy(() -> s.execute("CREATE TABLE shop.t (a INT)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM read_csv('/etc/passwd')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("/etc/passwd"));
            try (ResultSet rs = s.executeQuery("SELECT name FROM customers WHERE customer_id = 4")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Dan, Jr.");
            }
        }
    }

    @Test
    void aTableInAFormatDuckDbCannotReadFailsWithItsName() throws Exception {
        try (var client = server.client()) {
            client.createTable(ShopCatalog.table("orc_events", List.of(ShopCatalog.col("id", "bigint")),
                    ShopCatalog.sd(server.dataDir.resolve("orc"), "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
                            "org.apache.hadoop.hive.ql.io.orc.OrcSerde", Map.of())));
        }
        assertThatThrownBy(() -> rows("SELECT count(*) FROM shop.orc_events"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("0A000");
                    assertThat(e.getMessage()).isEqualTo("Table shop.orc_events is stored as ORC, which the embedded DuckDB engine cannot read");
                });
        assertThat(rows("SELECT count(*) FROM shop.events")).containsExactly(List.of(4L));
    }

    @Test
    void sessionCommandsUseSetShowDescribe() throws Exception {
        try (Statement s = connection.createStatement()) {
            assertThat(rows("SHOW TABLES")).contains(List.of("orders"), List.of("customers"), List.of("big_orders"));
            assertThat(rows("DESCRIBE shop.orders")).first().isEqualTo(List.of("order_id", "bigint", ""));
            s.execute("USE default");
            assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM orders")).isInstanceOf(SQLException.class);
            assertThat(rows("SELECT count(*) FROM shop.orders")).containsExactly(List.of(7L));
            s.execute("USE shop");
            assertThat(rows("SELECT count(*) FROM `orders`")).containsExactly(List.of(7L));
            assertThatThrownBy(() -> s.execute("USE nowhere"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).isEqualTo("Database not found: nowhere"));
        }
    }
}
