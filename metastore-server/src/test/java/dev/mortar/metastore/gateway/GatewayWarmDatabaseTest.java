package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DuckDB databases the gateway keeps open between queries: a query that resolves to the same tables, partitions
 * and files reuses one, and whatever changed in the catalog or on disk since is what the next query reads.
 */
class GatewayWarmDatabaseTest {
    private static final String TOTAL = "SELECT count(*), sum(amount) FROM shop.orders";

    private TestServer server;
    private ShopCatalog shop;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.duckdb.threads", "1"));
        shop = ShopCatalog.create(server);
        connection = connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        server.close();
        server.deleteData();
    }

    private Connection connect() throws Exception {
        return HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/shop", "analyst", "any");
    }

    /** The query's count and sum, and the gateway's log of it. */
    private record Answer(long count, BigDecimal sum, String log) {}

    private Answer total(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next()).isTrue();
                Answer answer = new Answer(rs.getLong(1), rs.getBigDecimal(2), null);
                return new Answer(answer.count(), answer.sum(), String.join("\n", HiveJdbc.queryLog(s)));
            }
        }
    }

    private void writeOrders(Path file, String values) throws Exception {
        try (Connection c = ShopCatalog.duckdb(); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT order_id::BIGINT AS order_id, customer_id::INTEGER AS customer_id, amount::DECIMAL(10,2) AS amount, "
                    + "order_date, note FROM (VALUES " + values + ") v(order_id, customer_id, amount, order_date, note)) TO '"
                    + file + "' (FORMAT parquet)");
        }
    }

    @Test
    void theSameResolutionReusesTheOpenDatabase() throws Exception {
        Answer first = total(connection, TOTAL);
        Answer second = total(connection, TOTAL);
        assertThat(first.log()).contains("new database");
        assertThat(second.log()).contains("open database reused");
        assertThat(second.count()).isEqualTo(first.count()).isEqualTo(7);
        assertThat(second.sum()).isEqualTo(first.sum()).isEqualTo(new BigDecimal("595.89"));
        // another session, another database as its current one: the same tables, the same open database
        try (Connection other = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "other", "any")) {
            Answer third = total(other, TOTAL);
            assertThat(third.count()).isEqualTo(7);
        }
        // a query over other partitions resolves to other files: a database of its own
        assertThat(total(connection, TOTAL + " WHERE ds = '2024-01-02'").log()).contains("new database");
    }

    @Test
    void aNewFileInAPartitionIsReadByTheNextQuery() throws Exception {
        assertThat(total(connection, TOTAL).count()).isEqualTo(7);
        writeOrders(shop.partitionDir("2024-01-02").resolve("part-00001.parquet"), "(8, 1, 1000.00, DATE '2024-01-02', 'late')");
        Answer after = total(connection, TOTAL);
        assertThat(after.count()).isEqualTo(8);
        assertThat(after.sum()).isEqualTo(new BigDecimal("1595.89"));
        assertThat(after.log()).contains("new database");
    }

    /**
     * Folders unchanged for a while are not listed again: their listings are kept and checked against the folders'
     * modification times, so a file added to one is still read by the next query.
     */
    @Test
    void aNewFileInASettledPartitionIsReadByTheNextQuery() throws Exception {
        FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (String day : List.of("2024-01-01", "2024-01-02", "2024-01-03")) {
            Files.setLastModifiedTime(shop.partitionDir(day), past);
        }
        assertThat(total(connection, TOTAL).log()).contains("(0 of 3 folder listings kept)");
        Answer kept = total(connection, TOTAL);
        assertThat(kept.log()).contains("(3 of 3 folder listings kept)");
        assertThat(kept.count()).isEqualTo(7);
        writeOrders(shop.partitionDir("2024-01-02").resolve("part-00001.parquet"), "(8, 1, 1000.00, DATE '2024-01-02', 'late')");
        Answer after = total(connection, TOTAL);
        assertThat(after.log()).contains("(2 of 3 folder listings kept)");
        assertThat(after.count()).isEqualTo(8);
        assertThat(after.sum()).isEqualTo(new BigDecimal("1595.89"));
    }

    @Test
    void aFileRewrittenInPlaceIsReadAsItIsNow() throws Exception {
        Path file = shop.partitionDir("2024-01-03").resolve("part-00000.parquet");
        assertThat(total(connection, TOTAL + " WHERE ds = '2024-01-03'").sum()).isEqualTo(new BigDecimal("80.05"));
        long modified = Files.getLastModifiedTime(file).toMillis();
        // same path, same row count and (nearly) same size, the old modification time put back: only the contents differ
        writeOrders(file, "(6, 2, 76.00, DATE '2024-01-03', 'x'), (7, 9, 6.05, DATE '2024-01-03', 'unknown customer')");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(modified));
        Answer after = total(connection, TOTAL + " WHERE ds = '2024-01-03'");
        assertThat(after.log()).contains("open database reused");
        assertThat(after.sum()).isEqualTo(new BigDecimal("82.05"));
    }

    @Test
    void partitionsAddedOrDroppedInTheCatalogAreSeenByTheNextQuery() throws Exception {
        assertThat(total(connection, TOTAL).count()).isEqualTo(7);
        Path dir = shop.root.resolve("orders").resolve("ds=2024-01-04");
        Files.createDirectories(dir);
        writeOrders(dir.resolve("part-00000.parquet"), "(9, 3, 4.00, DATE '2024-01-04', NULL)");
        try (HiveMetaStoreClient client = server.client()) {
            Table orders = client.getTable("shop", "orders");
            Partition p = new Partition();
            p.setDbName("shop");
            p.setTableName("orders");
            p.setValues(List.of("2024-01-04"));
            p.setSd(orders.getSd().deepCopy());
            p.getSd().setLocation(dir.toUri().toString());
            p.setParameters(new HashMap<>());
            client.add_partition(p);
            assertThat(total(connection, TOTAL).count()).isEqualTo(8);

            client.dropPartition("shop", "orders", List.of("2024-01-01"), false /* deleteData */);
            Answer after = total(connection, TOTAL);
            assertThat(after.count()).isEqualTo(5);
            assertThat(after.sum()).isEqualTo(new BigDecimal("344.15"));
        }
    }

    @Test
    void aTableChangedInTheCatalogIsReadWithItsNewDefinition() throws Exception {
        assertThat(total(connection, "SELECT count(*), CAST(sum(population_m) AS DECIMAL(10,1)) FROM shop.regions").sum()).isEqualTo(new BigDecimal("5.8"));
        try (HiveMetaStoreClient client = server.client()) {
            Table regions = client.getTable("shop", "regions");
            // the third column read as text now: the same files, another view over them
            regions.getSd().getCols().get(2).setType("string");
            client.alter_table("shop", "regions", regions);
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT typeof(population_m), population_m FROM shop.regions WHERE city = 'Berlin'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("VARCHAR");
            assertThat(rs.getString(2)).isEqualTo("3.7");
        }
    }

    @Test
    void concurrentSessionsShareADatabaseAndGetTheirOwnAnswers() throws Exception {
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                connections.add(connect());
            }
            List<Future<List<Answer>>> results = new ArrayList<>();
            for (int i = 0; i < connections.size(); i++) {
                Connection c = connections.get(i);
                String sql = i % 2 == 0 ? TOTAL : TOTAL + " WHERE ds = '2024-01-01'";
                results.add(pool.submit(() -> {
                    List<Answer> answers = new ArrayList<>();
                    for (int r = 0; r < 5; r++) {
                        answers.add(total(c, sql));
                    }
                    return answers;
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                for (Answer answer : results.get(i).get()) {
                    if (i % 2 == 0) {
                        assertThat(answer.count()).isEqualTo(7);
                        assertThat(answer.sum()).isEqualTo(new BigDecimal("595.89"));
                    } else {
                        assertThat(answer.count()).isEqualTo(3);
                        assertThat(answer.sum()).isEqualTo(new BigDecimal("255.74"));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }
}
