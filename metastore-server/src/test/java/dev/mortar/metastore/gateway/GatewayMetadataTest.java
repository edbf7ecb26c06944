package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** DatabaseMetaData and a query through the Hive JDBC driver over each transport of the gateway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayMetadataTest {
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.duckdb.threads", "2"));
        ShopCatalog.create(server);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private Connection connect(String transport) throws SQLException {
        return switch (transport) {
            case "binary-sasl" -> HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "analyst", "secret");
            case "binary-nosasl" -> HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default;auth=noSasl", "analyst", "secret");
            case "http" -> HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayHttpPort()
                    + "/default;transportMode=http;httpPath=cliservice", "analyst", "secret");
            default -> throw new IllegalArgumentException(transport);
        };
    }

    private static List<List<String>> strings(ResultSet rs, String... columns) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (String column : columns) {
                    row.add(rs.getString(column));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary-sasl", "binary-nosasl", "http"})
    void schemasTablesAndColumnsWithTypes(String transport) throws Exception {
        try (Connection c = connect(transport)) {
            DatabaseMetaData meta = c.getMetaData();
            assertThat(meta.getDatabaseProductName()).isEqualTo("Mortar");
            assertThat(meta.getDatabaseProductVersion()).contains("DuckDB");
            assertThat(strings(meta.getSchemas(), "TABLE_SCHEM")).containsExactly(List.of("default"), List.of("shop"));
            assertThat(strings(meta.getSchemas(null, "sh%"), "TABLE_SCHEM")).containsExactly(List.of("shop"));
            assertThat(strings(meta.getTables(null, "shop", "%", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE")).containsExactly(
                    List.of("shop", "big_orders", "VIEW"), List.of("shop", "customers", "TABLE"), List.of("shop", "events", "TABLE"),
                    List.of("shop", "orders", "TABLE"), List.of("shop", "regions", "TABLE"));
            assertThat(strings(meta.getTables(null, "shop", "%", new String[] {"VIEW"}), "TABLE_NAME")).containsExactly(List.of("big_orders"));
            assertThat(strings(meta.getTableTypes(), "TABLE_TYPE")).contains(List.of("TABLE"), List.of("VIEW"));

            List<Object[]> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, "shop", "orders", null)) {
                while (rs.next()) {
                    columns.add(new Object[] {rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                            rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"), rs.getInt("ORDINAL_POSITION")});
                }
            }
            assertThat(columns).containsExactly(
                    new Object[] {"order_id", Types.BIGINT, "BIGINT", 19, 0, 1},
                    new Object[] {"customer_id", Types.INTEGER, "INT", 10, 0, 2},
                    new Object[] {"amount", Types.DECIMAL, "DECIMAL(10,2)", 10, 2, 3},
                    new Object[] {"order_date", Types.DATE, "DATE", 10, 0, 4},
                    new Object[] {"note", Types.VARCHAR, "STRING", Integer.MAX_VALUE, 0, 5},
                    new Object[] {"ds", Types.VARCHAR, "STRING", Integer.MAX_VALUE, 0, 6});
            assertThat(strings(meta.getColumns(null, "shop", "events", "t%"), "COLUMN_NAME", "TYPE_NAME")).containsExactly(List.of("ts", "TIMESTAMP"));

            assertThat(strings(meta.getPrimaryKeys(null, "shop", "customers"), "COLUMN_NAME", "PK_NAME")).containsExactly(List.of("customer_id", "customers_pk"));
            assertThat(strings(meta.getCrossReference(null, "shop", "customers", null, "shop", "orders"), "PKCOLUMN_NAME", "FKTABLE_NAME", "FKCOLUMN_NAME", "FK_NAME"))
                    .containsExactly(List.of("customer_id", "orders", "customer_id", "orders_customer_fk"));
            assertThat(strings(meta.getTypeInfo(), "TYPE_NAME")).contains(List.of("DECIMAL"), List.of("STRING"), List.of("TIMESTAMP"));
            assertThat(strings(meta.getFunctions(null, null, "sum"), "FUNCTION_NAME")).containsExactly(List.of("sum"));
            assertThat(strings(meta.getCatalogs(), "TABLE_CAT")).isEmpty();

            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), sum(amount) FROM shop.orders WHERE ds >= '2024-01-02'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(4);
                assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("340.15"));
            }
        }
    }
}
