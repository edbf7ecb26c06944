package dev.mortar.gateway.engine.trino;

import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.service.ResultColumn;
import org.apache.hive.service.rpc.thrift.TTypeId;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Trino engine decides without a coordinator: URLs, read-only statements, error and type mapping. */
class TrinoEngineTest {
    @Test
    void coordinatorUrlsBecomeJdbcUrls() {
        assertThat(TrinoEngine.jdbcUrl("http://trino.example:8080")).isEqualTo("jdbc:trino://trino.example:8080");
        assertThat(TrinoEngine.jdbcUrl("https://trino.example")).isEqualTo("jdbc:trino://trino.example:443?SSL=true");
        assertThat(TrinoEngine.jdbcUrl("jdbc:trino://h:1/x")).isEqualTo("jdbc:trino://h:1/x");
        assertThatThrownBy(() -> TrinoEngine.jdbcUrl("ftp://h:1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mortar.gateway.trino.url");
        assertThatThrownBy(() -> new TrinoEngine(" ", "u", "hive")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyQueriesAreForwarded() {
        for (String query : new String[] {"SELECT 1", "  with t as (select 1) select * from t", "VALUES 1", "(SELECT 1)",
                "-- why\nSELECT 1", "/* c */ select 1", "EXPLAIN SELECT 1", "EXPLAIN ANALYZE VERBOSE SELECT 1", "EXPLAIN (TYPE DISTRIBUTED) SELECT 1",
                "SHOW CREATE TABLE t", "DESCRIBE t", "SELEC 1"}) {
            assertThatCode(() -> TrinoEngine.checkReadOnly(query)).as(query).doesNotThrowAnyException();
        }
        for (String statement : new String[] {"INSERT INTO t VALUES 1", "CREATE TABLE t (a int)", "DROP TABLE t", "EXPLAIN ANALYZE INSERT INTO t VALUES 1",
                "DELETE FROM t", "CALL system.sync_partition_metadata('a', 'b', 'FULL')", "-- x\nDROP SCHEMA s", "ALTER TABLE t ADD COLUMN b int"}) {
            assertThatThrownBy(() -> TrinoEngine.checkReadOnly(statement)).as(statement)
                    .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        }
    }

    @Test
    void trinoErrorCodesBecomeSqlStates() {
        GatewayException syntax = TrinoErrors.map(new SQLException("Query failed (#20261124_1): line 1:1: mismatched input 'SELEC'", null, 1));
        assertThat(syntax.sqlState()).isEqualTo("42000");
        assertThat(syntax.getMessage()).isEqualTo("line 1:1: mismatched input 'SELEC' (Trino query 20261124_1)");
        assertThat(TrinoErrors.sqlState(46)).isEqualTo("42S02");
        assertThat(TrinoErrors.sqlState(45)).isEqualTo("3F000");
        assertThat(TrinoErrors.sqlState(47)).isEqualTo("42000");
        assertThat(TrinoErrors.sqlState(3)).isEqualTo("HY008");
        assertThat(TrinoErrors.sqlState(9)).isEqualTo("22018");
        assertThat(TrinoErrors.sqlState(0x2_0003)).isEqualTo("HYT00");
        assertThat(TrinoErrors.sqlState(0x2_0001)).isEqualTo("53200");
        assertThat(TrinoErrors.sqlState(0x1_0000)).isEqualTo("XX000");
        assertThat(TrinoErrors.sqlState(0x0100_0007)).isEqualTo("22000");
        assertThat(TrinoErrors.sqlState(0x0100_0003)).isEqualTo("58030");
        assertThat(TrinoErrors.map(new SQLException("Error starting query at http://127.0.0.1:1/v1/statement")).sqlState()).isEqualTo("08S01");
    }

    @Test
    void trinoTypesBecomeHiveTypes() {
        assertThat(ResultColumn.ofTrino("a", "decimal(38,2)", 38, 2)).isEqualTo(new ResultColumn("a", TTypeId.DECIMAL_TYPE, ResultColumn.Carrier.DECIMAL, 38, 2));
        assertThat(ResultColumn.ofTrino("a", "varchar(10)", 10, 0).type()).isEqualTo(TTypeId.STRING_TYPE);
        assertThat(ResultColumn.ofTrino("a", "timestamp(3)", 3, 0).type()).isEqualTo(TTypeId.TIMESTAMP_TYPE);
        assertThat(ResultColumn.ofTrino("a", "timestamp(3) with time zone", 3, 0).type()).isEqualTo(TTypeId.STRING_TYPE);
        assertThat(ResultColumn.ofTrino("a", "integer", 10, 0).carrier()).isEqualTo(ResultColumn.Carrier.INT);
        assertThat(ResultColumn.ofTrino("a", "real", 0, 0).type()).isEqualTo(TTypeId.FLOAT_TYPE);
        assertThat(ResultColumn.ofTrino("a", "array(row(x integer))", 0, 0).type()).isEqualTo(TTypeId.ARRAY_TYPE);
        assertThat(ResultColumn.ofTrino("a", "map(varchar, bigint)", 0, 0).type()).isEqualTo(TTypeId.MAP_TYPE);
        assertThat(ResultColumn.ofTrino("a", "varbinary", 0, 0).carrier()).isEqualTo(ResultColumn.Carrier.BINARY);
        assertThat(ResultColumn.ofTrino("a", "uuid", 0, 0).type()).isEqualTo(TTypeId.STRING_TYPE);
    }
}
