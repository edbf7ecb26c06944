package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsDesc;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.FunctionType;
import org.apache.hadoop.hive.metastore.api.LongColumnStatsData;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.PrimaryKeysRequest;
import org.apache.hadoop.hive.metastore.api.ForeignKeysRequest;
import org.apache.hadoop.hive.metastore.api.NotNullConstraintsRequest;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLNotNullConstraint;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.StringColumnStatsData;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatisticsFunctionConstraintTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.createDatabase(Fixtures.database("dw"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static ColumnStatisticsObj longStats(String col, long low, long high, long nulls, long ndv) {
        LongColumnStatsData data = new LongColumnStatsData(nulls, ndv);
        data.setLowValue(low);
        data.setHighValue(high);
        return new ColumnStatisticsObj(col, "bigint", ColumnStatisticsData.longStats(data));
    }

    private static ColumnStatisticsObj stringStats(String col, long maxLen, double avgLen, long nulls, long ndv) {
        return new ColumnStatisticsObj(col, "string", ColumnStatisticsData.stringStats(new StringColumnStatsData(maxLen, avgLen, nulls, ndv)));
    }

    @Test
    void tableAndPartitionColumnStatistics() throws Exception {
        client.createTable(Fixtures.partitionedTable("dw", "facts"));
        Table facts = client.getTable("dw", "facts");
        facts.getParameters().put("numRows", "300");
        facts.getParameters().put("totalSize", "12345");
        client.alter_table("dw", "facts", facts);
        assertThat(client.getTable("dw", "facts").getParameters()).containsEntry("numRows", "300").containsEntry("totalSize", "12345");

        ColumnStatisticsDesc tableDesc = new ColumnStatisticsDesc(true, "dw", "facts");
        ColumnStatistics tableStats = new ColumnStatistics(tableDesc, List.of(longStats("id", 1, 300, 0, 300), stringStats("name", 20, 7.5, 3, 120)));
        tableStats.setEngine("hive");
        assertThat(client.updateTableColumnStatistics(tableStats)).isTrue();
        List<ColumnStatisticsObj> got = client.getTableColumnStatistics("dw", "facts", List.of("id", "name"), "hive");
        assertThat(got).hasSize(2);
        assertThat(got.get(0).getStatsData().getLongStats().getHighValue()).isEqualTo(300);
        assertThat(got.get(1).getStatsData().getStringStats().getNumNulls()).isEqualTo(3);

        client.add_partition(Fixtures.partition(facts, "2024-01-01", "1"));
        client.add_partition(Fixtures.partition(facts, "2024-01-02", "1"));
        for (String part : List.of("ds=2024-01-01/hr=1", "ds=2024-01-02/hr=1")) {
            ColumnStatisticsDesc desc = new ColumnStatisticsDesc(false, "dw", "facts");
            desc.setPartName(part);
            boolean first = part.contains("01-01");
            ColumnStatistics stats = new ColumnStatistics(desc, List.of(first ? longStats("id", 1, 100, 1, 100) : longStats("id", 50, 300, 2, 250)));
            stats.setEngine("hive");
            client.updatePartitionColumnStatistics(stats);
        }
        Map<String, List<ColumnStatisticsObj>> byPartition = client.getPartitionColumnStatistics("dw", "facts",
                List.of("ds=2024-01-01/hr=1", "ds=2024-01-02/hr=1", "ds=2030-01-01/hr=1"), List.of("id"), "hive");
        assertThat(byPartition).containsOnlyKeys("ds=2024-01-01/hr=1", "ds=2024-01-02/hr=1");
        assertThat(byPartition.get("ds=2024-01-02/hr=1").get(0).getStatsData().getLongStats().getLowValue()).isEqualTo(50);

        AggrStats aggr = client.getAggrColStatsFor("dw", "facts", List.of("id"), List.of("ds=2024-01-01/hr=1", "ds=2024-01-02/hr=1"), "hive");
        assertThat(aggr.getPartsFound()).isEqualTo(2);
        LongColumnStatsData merged = aggr.getColStats().get(0).getStatsData().getLongStats();
        assertThat(merged.getLowValue()).isEqualTo(1);
        assertThat(merged.getHighValue()).isEqualTo(300);
        assertThat(merged.getNumNulls()).isEqualTo(3);
        assertThat(merged.getNumDVs()).isEqualTo(250);

        assertThat(client.deletePartitionColumnStatistics("dw", "facts", "ds=2024-01-01/hr=1", "id", "hive")).isTrue();
        assertThat(client.getPartitionColumnStatistics("dw", "facts", List.of("ds=2024-01-01/hr=1"), List.of("id"), "hive")).isEmpty();
        assertThat(client.deleteTableColumnStatistics("dw", "facts", "id", "hive")).isTrue();
        assertThat(client.getTableColumnStatistics("dw", "facts", List.of("id", "name"), "hive")).extracting(ColumnStatisticsObj::getColName).containsExactly("name");

        ColumnStatisticsDesc keyDesc = new ColumnStatisticsDesc(false, "dw", "facts");
        keyDesc.setPartName("ds=2024-01-02/hr=1");
        ColumnStatistics keyStats = new ColumnStatistics(keyDesc, List.of(longStats("hr", 1, 1, 0, 1)));
        keyStats.setEngine("hive");
        client.updatePartitionColumnStatistics(keyStats);
        assertThat(client.getPartitionColumnStatistics("dw", "facts", List.of("ds=2024-01-02/hr=1"), List.of("hr"), "hive").get("ds=2024-01-02/hr=1"))
                .as("a partition key's statistics, per partition").extracting(ColumnStatisticsObj::getColName).containsExactly("hr");
        ColumnStatistics keyAtTableLevel = new ColumnStatistics(tableDesc, List.of(longStats("hr", 1, 1, 0, 1)));
        keyAtTableLevel.setEngine("hive");
        assertThatThrownBy(() -> client.updateTableColumnStatistics(keyAtTableLevel)).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidInputException.class);

        ColumnStatistics unknownColumn = new ColumnStatistics(tableDesc, List.of(longStats("no_such_col", 1, 2, 0, 1)));
        unknownColumn.setEngine("hive");
        assertThatThrownBy(() -> client.updateTableColumnStatistics(unknownColumn)).isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidInputException.class);
        assertThat(client.getTableColumnStatistics("dw", "facts", List.of("no_such_col"), "hive")).isEmpty();
    }

    @Test
    void functions() throws Exception {
        Function f = new Function("Upper_Plus", "dw", "com.example.UpperPlus", "tester", PrincipalType.USER, 0, FunctionType.JAVA, List.of());
        client.createFunction(f);
        Function got = client.getFunction("dw", "upper_plus");
        assertThat(got.getClassName()).isEqualTo("com.example.UpperPlus");
        assertThat(got.getFunctionName()).isEqualTo("upper_plus");
        assertThat(got.getCreateTime()).isPositive();
        assertThatThrownBy(() -> client.createFunction(f)).isInstanceOf(AlreadyExistsException.class);
        assertThat(client.getFunctions("dw", "upper*")).containsExactly("upper_plus");
        assertThat(client.getAllFunctions().getFunctions()).extracting(Function::getFunctionName).contains("upper_plus");
        Function changed = got.deepCopy();
        changed.setClassName("com.example.UpperPlus2");
        client.alterFunction("dw", "upper_plus", changed);
        assertThat(client.getFunction("dw", "upper_plus").getClassName()).isEqualTo("com.example.UpperPlus2");
        client.dropFunction("dw", "upper_plus");
        assertThatThrownBy(() -> client.getFunction("dw", "upper_plus")).isInstanceOf(NoSuchObjectException.class).hasMessageContaining("does not exist");
    }

    @Test
    void constraints() throws Exception {
        client.createTable(Fixtures.table("dw", "customers"));
        client.createTable(Fixtures.table("dw", "orders"));
        SQLPrimaryKey pk = new SQLPrimaryKey("dw", "customers", "id", 1, "pk_customers", true, false, true);
        client.addPrimaryKey(List.of(pk));
        SQLForeignKey fk = new SQLForeignKey("dw", "customers", "id", "dw", "orders", "id", 1, 0, 0, "fk_orders_customer", "pk_customers", true, false, true);
        client.addForeignKey(List.of(fk));
        SQLNotNullConstraint nn = new SQLNotNullConstraint("hive", "dw", "orders", "name", "nn_name", true, false, true);
        client.addNotNullConstraint(List.of(nn));

        assertThat(client.getPrimaryKeys(new PrimaryKeysRequest("dw", "customers"))).extracting(SQLPrimaryKey::getPk_name).containsExactly("pk_customers");
        assertThat(client.getForeignKeys(new ForeignKeysRequest("dw", "customers", "dw", "orders"))).extracting(SQLForeignKey::getFk_name).containsExactly("fk_orders_customer");
        assertThat(client.getNotNullConstraints(new NotNullConstraintsRequest("hive", "dw", "orders"))).extracting(SQLNotNullConstraint::getColumn_name).containsExactly("name");
        assertThatThrownBy(() -> client.addPrimaryKey(List.of(new SQLPrimaryKey("dw", "customers", "missing_col", 1, "pk2", true, false, true))))
                .as("Hive's InvalidObjectException, which add_primary_key does not declare").isInstanceOf(org.apache.thrift.TApplicationException.class)
                .hasMessageContaining("Parent column not found: missing_col");
        assertThatThrownBy(() -> client.dropTable("dw", "customers")).isInstanceOf(org.apache.hadoop.hive.metastore.api.MetaException.class).hasMessageContaining("referenced by a foreign key");
        assertThat(client.getTable("dw", "customers")).isNotNull();
        client.dropConstraint("dw", "orders", "fk_orders_customer");
        assertThat(client.getForeignKeys(new ForeignKeysRequest("dw", "customers", "dw", "orders"))).isEmpty();
        client.dropTable("dw", "customers");
    }
}
