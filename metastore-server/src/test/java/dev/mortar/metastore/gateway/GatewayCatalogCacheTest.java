package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog reads the gateway keeps between statements (tables and partition lists, while the catalog's last event id
 * stays the same): kept ones are used, and any change made to the catalog is what the next statement reads.
 */
class GatewayCatalogCacheTest {
    private static final String TOTAL = "SELECT count(*) FROM shop.orders";

    private TestServer server;
    private ShopCatalog shop;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.duckdb.threads", "1"));
        shop = ShopCatalog.create(server);
        connection = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/shop", "analyst", "any");
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        server.close();
        server.deleteData();
    }

    private record Answer(long count, String log) {}

    private Answer count(String sql) throws Exception {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            long count = rs.getLong(1);
            return new Answer(count, String.join("\n", HiveJdbc.queryLog(s)));
        }
    }

    @Test
    void anUnchangedCatalogIsNotReadAgain() throws Exception {
        assertThat(count(TOTAL).log()).contains("0 of 2 catalog reads kept");
        Answer again = count(TOTAL);
        assertThat(again.count()).isEqualTo(7);
        // the table and its partition list, as the previous statement read them
        assertThat(again.log()).contains("2 of 2 catalog reads kept");
        // another partition filter is another read of the partitions
        assertThat(count(TOTAL + " WHERE ds = '2024-01-02'").log()).contains("1 of 2 catalog reads kept");
    }

    @Test
    void aTableMovedInTheCatalogIsReadAtItsNewLocation() throws Exception {
        assertThat(count("SELECT count(*) FROM shop.regions").count()).isEqualTo(3);
        count("SELECT count(*) FROM shop.regions");
        Path moved = shop.root.resolve("regions-v2");
        Files.createDirectories(moved);
        Files.writeString(moved.resolve("regions.tsv"), "Lisbon\tPT\t0.5\n");
        try (HiveMetaStoreClient client = server.client()) {
            Table regions = client.getTable("shop", "regions");
            regions.getSd().setLocation(moved.toUri().toString());
            client.alter_table("shop", "regions", regions);
        }
        Answer after = count("SELECT count(*) FROM shop.regions");
        assertThat(after.count()).isEqualTo(1);
        assertThat(after.log()).contains("0 of 1 catalog reads kept");
    }

    @Test
    void aDroppedTableIsGoneForTheNextStatement() throws Exception {
        assertThat(count(TOTAL).count()).isEqualTo(7);
        try (HiveMetaStoreClient client = server.client()) {
            client.dropTable("shop", "orders", false /* deleteData */, true /* ignoreUnknownTable */);
        }
        assertThatThrownBy(() -> count(TOTAL)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("42S02");
            assertThat(e.getMessage()).contains("Table not found: shop.orders");
        });
        assertThat(count("SELECT count(*) FROM shop.regions").count()).isEqualTo(3);
    }

    @Test
    void aTableCreatedAfterItWasMissingIsFound() throws Exception {
        assertThatThrownBy(() -> count("SELECT count(*) FROM shop.regions_copy")).isInstanceOf(SQLException.class);
        try (HiveMetaStoreClient client = server.client()) {
            Table copy = client.getTable("shop", "regions").deepCopy();
            copy.setTableName("regions_copy");
            client.createTable(copy);
        }
        assertThat(count("SELECT count(*) FROM shop.regions_copy").count()).isEqualTo(3);
        assertThat(List.of(count("SELECT count(*) FROM shop.regions_copy").log())).anyMatch(l -> l.contains("1 of 1 catalog reads kept"));
    }
}
