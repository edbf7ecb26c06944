package dev.mortar.it;

import dev.mortar.it.support.Await;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Trino;
import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mortar's query gateway with {@code mortar.gateway.engine=trino}, forwarding to a real Trino 476
 * whose {@code hive} catalog is this Mortar, driven by the real Hive JDBC driver. Every query runs
 * twice, on a session of the Trino engine and on one that chose DuckDB
 * ({@code ?mortar.gateway.engine=duckdb}), and both must give the same exact answer, which is also
 * asserted literally. The tables (partitioned Parquet, CSV with a header, quoted CSV, TSV, JSON lines,
 * ORC) are registered through Trino's DDL, so Trino can read each of them.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryGatewayTrinoIT {
    /** A scan of generated TPC-H data that takes minutes on two cores, unless cancelled. */
    private static final String LONG_QUERY = "SELECT count(*) FROM tpch.sf1000.lineitem WHERE comment LIKE '%gateway-cancel%'";

    private Path work;
    private MortarServer mortar;
    private Trino trino;
    private Connection onTrino;
    private Connection onDuckDb;

    @BeforeAll
    void start() throws Exception {
        work = ItEnvironment.workDir("QueryGatewayTrinoIT");
        int trinoPort = Trino.freePort();
        mortar = MortarServer.start(work, Map.of(
                "mortar.gateway.engine", "trino",
                "mortar.gateway.trino.url", "http://127.0.0.1:" + trinoPort,
                "mortar.gateway.trino.user", "gateway",
                "mortar.gateway.trino.catalog", "hive",
                "mortar.gateway.max.operations.per.session", "3",
                "mortar.gateway.duckdb.memory.limit", "256MB",
                "mortar.gateway.duckdb.threads", "1"));
        trino = Trino.start(mortar, work, trinoPort);
        createShop();
        String url = "jdbc:hive2://127.0.0.1:" + mortar.gatewayPort() + "/shop";
        onTrino = HiveJdbc.connect(url, "analyst");
        onDuckDb = HiveJdbc.connect(url + "?mortar.gateway.engine=duckdb", "analyst");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            for (Connection c : new Connection[] {onTrino, onDuckDb}) {
                if (c != null) {
                    c.close();
                }
            }
            if (trino != null) {
                trino.close();
            }
        } finally {
            if (mortar != null) {
                System.out.println(mortar.report(work));
                mortar.close();
            }
        }
    }

    /** The shop of the gateway's DuckDB tests, written and registered so that Trino's hive connector reads every table. */
    private void createShop() throws Exception {
        Path data = work.resolve("shop-data");
        Files.createDirectories(data.resolve("customers"));
        Files.createDirectories(data.resolve("addresses"));
        Files.createDirectories(data.resolve("regions"));
        Files.createDirectories(data.resolve("events"));
        // CSV with a header, Hive's text format: typed columns, \N for NULL (Trino's CSV format would need all-varchar columns)
        Files.writeString(data.resolve("customers/customers.csv"), """
                customer_id,name,city,signup
                1,Alice,Berlin,2023-05-01
                2,Bob,\\N,2023-06-15
                3,Carla,Lisbon,2023-07-20
                4,Dan Jr.,Paris,2024-01-10
                """);
        // quoted CSV (OpenCSVSerde): commas inside quotes; Trino reads such tables with varchar columns only
        Files.writeString(data.resolve("addresses/addresses.csv"), """
                "customer_id","street"
                "1","Unter den Linden 5, Mitte"
                "3","Rua Augusta, 12"
                """);
        Files.writeString(data.resolve("regions/regions.tsv"), "Berlin\tDE\t3.7\nLisbon\tPT\t\\N\nParis\tFR\t2.1\n");
        Files.writeString(data.resolve("events/events.json"), """
                {"event_id":1,"customer_id":1,"kind":"login","ts":"2024-01-01 10:00:00","score":1.5}
                {"event_id":2,"customer_id":1,"kind":"buy","ts":"2024-01-01 10:05:30","score":2.25}
                {"event_id":3,"customer_id":2,"kind":"login","ts":"2024-01-02 08:00:00","score":null}
                {"event_id":4,"customer_id":3,"kind":"login","ts":"2024-01-02 09:30:00","score":0.5}
                """);
        trino.query("CREATE SCHEMA hive.shop");
        trino.query("CREATE TABLE hive.shop.orders (order_id bigint, customer_id integer, amount decimal(10,2), order_date date, note varchar, ds varchar) "
                + "WITH (format = 'PARQUET', partitioned_by = ARRAY['ds'])");
        trino.query("INSERT INTO hive.shop.orders VALUES "
                + "(1, 1, 120.50, DATE '2024-01-01', 'first', '2024-01-01'), (2, 2, 35.25, DATE '2024-01-01', NULL, '2024-01-01'), "
                + "(3, 1, 99.99, DATE '2024-01-01', 'gift', '2024-01-01'), (4, 3, 250.00, DATE '2024-01-02', NULL, '2024-01-02'), "
                + "(5, 4, 10.10, DATE '2024-01-02', 'small', '2024-01-02'), (6, 2, 75.00, DATE '2024-01-03', 'x', '2024-01-03'), "
                + "(7, 9, 5.05, DATE '2024-01-03', 'unknown customer', '2024-01-03')");
        trino.query("CREATE TABLE hive.shop.customers (customer_id integer, name varchar, city varchar, signup date) WITH (format = 'TEXTFILE', "
                + "textfile_field_separator = ',', skip_header_line_count = 1, external_location = '" + data.resolve("customers").toUri() + "')");
        trino.query("CREATE TABLE hive.shop.addresses (customer_id varchar, street varchar) WITH (format = 'CSV', "
                + "skip_header_line_count = 1, external_location = '" + data.resolve("addresses").toUri() + "')");
        trino.query("CREATE TABLE hive.shop.regions (city varchar, country varchar, population_m double) WITH (format = 'TEXTFILE', "
                + "textfile_field_separator = U&'\\0009', external_location = '" + data.resolve("regions").toUri() + "')");
        trino.query("CREATE TABLE hive.shop.events (event_id bigint, customer_id integer, kind varchar, ts timestamp(3), score double) "
                + "WITH (format = 'JSON', external_location = '" + data.resolve("events").toUri() + "')");
        trino.query("CREATE TABLE hive.shop.orc_events (event_id bigint, kind varchar, amount decimal(10,2)) WITH (format = 'ORC')");
        trino.query("INSERT INTO hive.shop.orc_events VALUES (1, 'login', 1.50), (2, 'buy', 20.25), (3, 'logout', NULL)");
    }

    /** The query's rows through the Trino engine, after checking that DuckDB answers exactly the same. */
    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> trinoRows = HiveJdbc.rows(onTrino, sql);
        assertThat(trinoRows).as("Trino and DuckDB answer %s alike", sql).isEqualTo(HiveJdbc.rows(onDuckDb, sql));
        return trinoRows;
    }

    @Test
    void aggregatesOverPartitionedParquetAreExact() throws Exception {
        assertThat(rows("SELECT count(*) AS n, sum(amount) AS total, min(order_date) AS first_day FROM shop.orders"))
                .containsExactly(List.of(7L, new BigDecimal("595.89"), Date.valueOf("2024-01-01")));
        assertThat(rows("SELECT ds, count(*) FROM orders GROUP BY ds ORDER BY ds"))
                .containsExactly(List.of("2024-01-01", 3L), List.of("2024-01-02", 2L), List.of("2024-01-03", 2L));
        assertThat(rows("SELECT count(*), sum(amount) FROM shop.orders WHERE ds = '2024-01-02'"))
                .containsExactly(List.of(2L, new BigDecimal("260.10")));
        assertThat(rows("SELECT count(*) FROM shop.orders WHERE ds IN ('2024-01-01', '2024-01-03') AND amount > 50"))
                .containsExactly(List.of(3L));
    }

    @Test
    void joinsAcrossParquetCsvJsonAndTsv() throws Exception {
        assertThat(rows("SELECT c.name, sum(o.amount) AS total FROM shop.orders o JOIN shop.customers c ON o.customer_id = c.customer_id "
                + "GROUP BY c.name ORDER BY total DESC"))
                .containsExactly(List.of("Carla", new BigDecimal("250.00")), List.of("Alice", new BigDecimal("220.49")),
                        List.of("Bob", new BigDecimal("110.25")), List.of("Dan Jr.", new BigDecimal("10.10")));
        assertThat(rows("SELECT c.name, e.kind, e.ts FROM shop.events e JOIN shop.customers c ON e.customer_id = c.customer_id "
                + "WHERE e.score IS NOT NULL ORDER BY e.event_id"))
                .containsExactly(List.of("Alice", "login", Timestamp.valueOf("2024-01-01 10:00:00")),
                        List.of("Alice", "buy", Timestamp.valueOf("2024-01-01 10:05:30")),
                        List.of("Carla", "login", Timestamp.valueOf("2024-01-02 09:30:00")));
        assertThat(rows("SELECT c.name, r.country FROM shop.customers c LEFT JOIN shop.regions r ON c.city = r.city ORDER BY c.customer_id"))
                .containsExactly(List.of("Alice", "DE"), Arrays.asList("Bob", null), List.of("Carla", "PT"), List.of("Dan Jr.", "FR"));
        assertThat(rows("SELECT c.name, a.street FROM shop.customers c JOIN shop.addresses a ON CAST(a.customer_id AS integer) = c.customer_id "
                + "ORDER BY c.name"))
                .containsExactly(List.of("Alice", "Unter den Linden 5, Mitte"), List.of("Carla", "Rua Augusta, 12"));
    }

    @Test
    void orderByLimitNullsDatesAndDecimals() throws Exception {
        assertThat(rows("SELECT order_id FROM shop.orders ORDER BY amount DESC LIMIT 3"))
                .containsExactly(List.of(4L), List.of(1L), List.of(3L));
        try (Statement s = onTrino.createStatement();
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
                .containsExactly(Arrays.asList("Bob", null, Date.valueOf("2023-06-15")));
        assertThat(rows("SELECT city, population_m FROM shop.regions ORDER BY city"))
                .containsExactly(List.of("Berlin", 3.7), Arrays.asList("Lisbon", null), List.of("Paris", 2.1));
        assertThat(rows("SELECT CAST(1.5 AS DECIMAL(5,1)) * 3, CAST('2024-02-29' AS DATE), CAST(NULL AS BIGINT)"))
                .containsExactly(Arrays.asList(new BigDecimal("4.5"), Date.valueOf("2024-02-29"), null));
    }

    @Test
    void aLargeResultStreamsInBatches() throws Exception {
        long expected = Long.parseLong(trino.query("SELECT count(*) FROM tpch.tiny.lineitem").rows().get(0).get(0));
        try (Statement s = onTrino.createStatement()) {
            s.setFetchSize(1000);
            long rows = 0;
            long quantity = 0;
            try (ResultSet rs = s.executeQuery("SELECT orderkey, quantity FROM tpch.tiny.lineitem")) {
                while (rs.next()) {
                    rows++;
                    quantity += rs.getLong(2);
                }
            }
            assertThat(rows).isEqualTo(expected);
            assertThat(String.valueOf(quantity)).isEqualTo(trino.query("SELECT CAST(sum(quantity) AS bigint) FROM tpch.tiny.lineitem").rows().get(0).get(0));
        }
    }

    @Test
    void badSqlFailsWithSqlStateAndTheSessionGoesOn() throws Exception {
        try (Statement s = onTrino.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELEC order_id FROM shop.orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).contains("mismatched input 'SELEC'").contains("Trino query");
                    });
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(7);
            }
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM shop.nope"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42S02");
                        assertThat(e.getMessage()).contains("hive.shop.nope");
                    });
            assertThatThrownBy(() -> s.executeQuery("SELECT no_such_column FROM shop.orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).contains("no_such_column");
                    });
            assertThatThrownBy(() -> s.executeQuery("SELECT CAST('x' AS integer)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22018"));
            // the gateway stays read-only on Trino too: nothing reaches Trino
            assertThatThrownBy(() -> s.execute("CREATE TABLE shop.t (a integer)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            assertThatThrownBy(() -> s.execute("INSERT INTO shop.orders VALUES (8, 1, 1.00, DATE '2024-01-04', 'no', '2024-01-04')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("0A000"));
            try (ResultSet rs = s.executeQuery("SELECT name FROM customers WHERE customer_id = 4")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Dan Jr.");
            }
        }
        assertThat(trino.query("SELECT count(*) FROM hive.shop.orders").rows()).containsExactly(List.of("7"));
        assertThat(trino.query("SELECT count(*) FROM hive.information_schema.tables WHERE table_schema = 'shop' AND table_name = 't'").rows())
                .containsExactly(List.of("0"));
    }

    @Test
    void cancelStopsTheTrinoQueryAndTheSessionGoesOn() throws Exception {
        try (Statement s = onTrino.createStatement()) {
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
                    return rs.next();
                } catch (SQLException e) {
                    return e;
                }
            });
            Await.until("Trino runs the gateway's query", Duration.ofMinutes(1), null, () -> !trinoStates(LONG_QUERY).isEmpty());
            s.cancel();
            Object outcome = running.get(60, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("cancelled"));
            Await.until("Trino reports the query cancelled", Duration.ofMinutes(1), null,
                    () -> trinoStates(LONG_QUERY).equals(List.of(List.of("FAILED", "USER_CANCELED"))));
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.events")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(4);
            }
        }
    }

    @Test
    void trinoQueriesCountAgainstTheSessionsLimit() throws Exception {
        String url = "jdbc:hive2://127.0.0.1:" + mortar.gatewayPort() + "/shop";
        try (Connection c = HiveJdbc.connect(url, "analyst")) {
            List<Statement> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Statement s = c.createStatement();
                s.setFetchSize(10);
                // a result read only in part keeps its query's slot
                ResultSet rs = s.executeQuery("SELECT orderkey FROM tpch.tiny.lineitem");
                assertThat(rs.next()).isTrue();
                open.add(s);
            }
            try (Statement fourth = c.createStatement()) {
                assertThatThrownBy(() -> fourth.executeQuery("SELECT 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("53000");
                            assertThat(e.getMessage()).contains("mortar.gateway.max.operations.per.session");
                        });
                open.getFirst().close();
                try (ResultSet rs = fourth.executeQuery("SELECT 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
            for (Statement s : open) {
                s.close();
            }
        }
    }

    @Test
    void aQueryOverItsTimeoutIsCancelledInTrino() throws Exception {
        String query = LONG_QUERY.replace("gateway-cancel", "gateway-timeout");
        try (Statement s = onTrino.createStatement()) {
            s.setQueryTimeout(2);
            assertThatThrownBy(() -> s.executeQuery(query)).isInstanceOf(SQLTimeoutException.class);
            Await.until("Trino reports the query cancelled", Duration.ofMinutes(1), null,
                    () -> trinoStates(query).equals(List.of(List.of("FAILED", "USER_CANCELED"))));
        }
    }

    /** State and error of the gateway's Trino queries with this text, as Trino's own system table says. */
    private List<List<String>> trinoStates(String query) {
        return trino.query("SELECT state, error_code FROM system.runtime.queries WHERE source = 'mortar-gateway' AND query = '"
                + query.replace("'", "''") + "'").rows();
    }

    @Test
    void orcTablesAreReadThroughTrino() throws Exception {
        List<List<Object>> expected = List.of(List.of(1L, "login", new BigDecimal("1.50")), List.of(2L, "buy", new BigDecimal("20.25")),
                Arrays.asList(3L, "logout", null));
        String sql = "SELECT event_id, kind, amount FROM shop.orc_events ORDER BY event_id";
        assertThat(HiveJdbc.rows(onTrino, sql)).isEqualTo(expected);
        assertThatThrownBy(() -> HiveJdbc.rows(onDuckDb, sql))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("0A000");
                    assertThat(e.getMessage()).isEqualTo("Table shop.orc_events is stored as ORC, which the embedded DuckDB engine cannot read");
                });
        // auto: DuckDB for what it reads, Trino for the rest, chosen per query
        try (Connection auto = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + mortar.gatewayPort() + "/shop?mortar.gateway.engine=auto", "analyst");
             Statement s = auto.createStatement()) {
            assertThat(HiveJdbc.rows(auto, sql)).isEqualTo(expected);
            try (ResultSet rs = s.executeQuery("SELECT e.kind, o.order_id FROM shop.orc_events e JOIN shop.orders o ON e.event_id = o.order_id ORDER BY 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("login");
            }
            assertThat(String.join("\n", HiveJdbc.queryLog(s))).contains("stored as ORC").contains("running the query on Trino");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM shop.orders WHERE ds = '2024-01-02'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            assertThat(String.join("\n", HiveJdbc.queryLog(s))).contains("Reading shop.orders: 1 files").doesNotContain("Running on Trino");
        }
    }

    @Test
    void metadataComesFromTheCatalog() throws Exception {
        try (ResultSet rs = onTrino.getMetaData().getColumns(null, "shop", "orders", null)) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
            }
            assertThat(columns).containsExactly("order_id BIGINT", "customer_id INT", "amount DECIMAL(10,2)", "order_date DATE", "note STRING", "ds STRING");
        }
        try (ResultSet rs = onTrino.getMetaData().getTables(null, "shop", "%", null)) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
            assertThat(tables).contains("orders", "customers", "addresses", "regions", "events", "orc_events");
        }
    }
}
