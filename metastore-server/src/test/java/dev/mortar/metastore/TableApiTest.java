package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.TableType;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.TableMeta;
import org.apache.hadoop.hive.metastore.api.UnknownTableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableApiTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.createDatabase(Fixtures.database("shop"));
        client.createDatabase(Fixtures.database("archive"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private Path dir(String db, String table) {
        return server.warehouse().resolve(db + ".db").resolve(table);
    }

    @Test
    void createAndGetKeepsEveryField() throws Exception {
        Table t = Fixtures.partitionedTable("shop", "Orders");
        t.getParameters().put("comment", "all orders");
        t.getSd().getSerdeInfo().getParameters().put("field.delim", ",");
        client.createTable(t);
        Table got = client.getTable("SHOP", "orders");
        assertThat(got.getTableName()).isEqualTo("orders");
        assertThat(got.getDbName()).isEqualTo("shop");
        assertThat(got.getCatName()).isEqualTo("hive");
        assertThat(got.getTableType()).isEqualTo("MANAGED_TABLE");
        assertThat(got.getOwner()).isEqualTo("tester");
        assertThat(got.getCreateTime()).isPositive();
        assertThat(got.getParameters()).containsEntry("comment", "all orders").containsKey("transient_lastDdlTime");
        assertThat(got.getSd().getCols()).extracting(FieldSchema::getName).containsExactly("id", "name");
        assertThat(got.getSd().getCols().get(0).getComment()).isEqualTo("the id");
        assertThat(got.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(got.getSd().getSerdeInfo().getParameters()).containsEntry("field.delim", ",");
        assertThat(got.getSd().getInputFormat()).endsWith("MapredParquetInputFormat");
        assertThat(got.getPartitionKeys()).extracting(FieldSchema::getName).containsExactly("ds", "hr");
        assertThat(got.getSd().getLocation()).endsWith("/warehouse/shop.db/orders");
        assertThat(Files.isDirectory(dir("shop", "orders"))).isTrue();

        assertThat(client.getFields("shop", "orders")).extracting(FieldSchema::getName).containsExactly("id", "name");
        assertThat(client.getSchema("shop", "orders")).extracting(FieldSchema::getName).containsExactly("id", "name", "ds", "hr");
        assertThatThrownBy(() -> client.getFields("shop", "nope")).isInstanceOf(UnknownTableException.class);
        assertThatThrownBy(() -> client.createTable(Fixtures.table("shop", "orders"))).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void externalTablesAndViewsAreStoredAsGiven() throws Exception {
        Path external = server.dataDir.resolve("external-data/events");
        Table ext = Fixtures.table("shop", "events");
        ext.setTableType("EXTERNAL_TABLE");
        ext.getParameters().put("EXTERNAL", "TRUE");
        ext.getSd().setLocation(external.toUri().toString());
        client.createTable(ext);
        Table got = client.getTable("shop", "events");
        assertThat(got.getTableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(got.getSd().getLocation()).isEqualTo("file:" + external);
        assertThat(Files.isDirectory(external)).isTrue();
        Files.writeString(external.resolve("data.txt"), "keep me");
        client.dropTable("shop", "events", true, false);
        assertThat(external.resolve("data.txt")).exists();

        Table view = new Table();
        view.setDbName("shop");
        view.setTableName("v_orders");
        view.setTableType(TableType.VIRTUAL_VIEW.name());
        view.setViewOriginalText("SELECT id FROM shop.orders2");
        view.setViewExpandedText("SELECT `orders2`.`id` FROM `shop`.`orders2`");
        view.setSd(Fixtures.parquetSd(List.of(new FieldSchema("id", "bigint", null)), null));
        view.setPartitionKeys(List.of());
        view.setParameters(Map.of("presto_view", "true"));
        client.createTable(view);
        Table v = client.getTable("shop", "v_orders");
        assertThat(v.getTableType()).isEqualTo("VIRTUAL_VIEW");
        assertThat(v.getViewOriginalText()).isEqualTo("SELECT id FROM shop.orders2");
        assertThat(v.getViewExpandedText()).isEqualTo("SELECT `orders2`.`id` FROM `shop`.`orders2`");
        assertThat(v.getSd().getLocation()).isNull();
        assertThat(client.getTables("shop", "*", TableType.VIRTUAL_VIEW)).containsExactly("v_orders");
        assertThat(client.listTableNamesByFilter("shop", "hive_filter_field_params__presto_view = \"true\"", (short) -1)).containsExactly("v_orders");

        Table mv = Fixtures.table("shop", "mv_orders");
        mv.setTableType(TableType.MATERIALIZED_VIEW.name());
        mv.setViewOriginalText("SELECT * FROM shop.orders");
        client.createTable(mv);
        assertThat(client.getTable("shop", "mv_orders").getTableType()).isEqualTo("MATERIALIZED_VIEW");
    }

    @Test
    void locationsOnFileSystemsWithoutAClientAreKeptAsGiven() throws Exception {
        Table t = Fixtures.table("shop", "on_s3");
        t.setTableType("EXTERNAL_TABLE");
        t.getParameters().put("EXTERNAL", "TRUE");
        t.getSd().setLocation("s3://bucket/warehouse/on_s3");
        client.createTable(t);
        assertThat(client.getTable("shop", "on_s3").getSd().getLocation()).isEqualTo("s3://bucket/warehouse/on_s3");
        client.dropTable("shop", "on_s3", true, false);
    }

    @Test
    void listing() throws Exception {
        client.createDatabase(Fixtures.database("listing"));
        client.createTable(Fixtures.table("listing", "alpha"));
        client.createTable(Fixtures.table("listing", "alps"));
        client.createTable(Fixtures.table("listing", "beta"));
        assertThat(client.getAllTables("listing")).containsExactly("alpha", "alps", "beta");
        assertThat(client.getTables("listing", "al*")).containsExactly("alpha", "alps");
        assertThat(client.getTables("listing", "al.*")).containsExactly("alpha", "alps");
        assertThat(client.getTables("listing", "beta|alps")).containsExactly("alps", "beta");
        assertThat(client.getTableObjectsByName("listing", List.of("alpha", "BETA", "missing"))).extracting(Table::getTableName).containsExactly("alpha", "beta");
        List<TableMeta> meta = client.getTableMeta("listing", "*", List.of("MANAGED_TABLE"));
        assertThat(meta).extracting(TableMeta::getTableName).containsExactly("alpha", "alps", "beta");
        assertThat(meta.get(0).getTableType()).isEqualTo("MANAGED_TABLE");
        assertThat(client.getTables("no_such_db", "*")).as("the Hive 4 client's getTables takes the database as a pattern").isEmpty();
    }

    @Test
    void listingAsHive4ClientsAskForIt() throws Exception {
        client.createDatabase(Fixtures.database("lst_one"));
        client.createDatabase(Fixtures.database("lst_two"));
        client.createTable(Fixtures.table("lst_one", "a1"));
        client.createTable(Fixtures.table("lst_two", "a2"));
        client.createTable(Fixtures.table("lst_two", "b2"));
        assertThat(client.getTables("lst_*", "a*")).containsExactlyInAnyOrder("a1", "a2");
        assertThat(client.getTables("lst_t*", "*")).containsExactly("a2", "b2");
        assertThat(client.getTables("lst_two", "")).isEmpty();
        assertThat(client.getTableMeta("", "*", List.of())).as("an empty database pattern matches none").isEmpty();
        assertThat(client.getTableMeta(null, "a*", List.of())).extracting(TableMeta::getTableName).contains("a1", "a2");
        assertThatThrownBy(() -> client.getAllTables(null)).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.getTableObjectsByName("lst_two", null)).isInstanceOf(InvalidOperationException.class);
        assertThatThrownBy(() -> client.getTableObjectsByName("no_such_db", List.of("a1"))).isInstanceOf(org.apache.hadoop.hive.metastore.api.UnknownDBException.class);

        assertThatThrownBy(() -> client.listTableNamesByFilter("lst_two", null, (short) -1)).isInstanceOf(InvalidOperationException.class);
        assertThatThrownBy(() -> client.listTableNamesByFilter("lst_two", "not a filter ((", (short) -1)).isInstanceOf(MetaException.class);
        assertThat(client.listTableNamesByFilter("no_such_db", "hive_filter_field_owner__ = \"tester\"", (short) -1)).isEmpty();
        assertThatThrownBy(() -> client.listTableNamesByFilter("no_such_catalog", "lst_two", "hive_filter_field_owner__ = \"tester\"", -1))
                .isInstanceOf(org.apache.hadoop.hive.metastore.api.UnknownDBException.class);
        assertThatThrownBy(() -> client.getTables("no_such_catalog", "lst_two", "*")).isInstanceOf(org.apache.hadoop.hive.metastore.api.UnknownDBException.class);
        assertThat(client.listTableNamesByFilter("lst_two", "hive_filter_field_owner__ = \"tester\"", (short) -1)).containsExactly("a2", "b2");
    }

    @Test
    void projectionsOfTableObjects() throws Exception {
        client.createDatabase(Fixtures.database("proj"));
        client.createTable(Fixtures.table("proj", "p1"));
        org.apache.hadoop.hive.metastore.api.GetProjectionsSpec spec = new org.apache.hadoop.hive.metastore.api.GetProjectionsSpec();
        spec.setFieldList(List.of("tableName", "sd.location", "sd.serdeInfo.serializationLib"));
        List<Table> tables = client.getTables(null, "proj", List.of("p1"), spec);
        assertThat(tables).hasSize(1);
        Table t = tables.get(0);
        assertThat(t.getTableName()).isEqualTo("p1");
        assertThat(t.isSetDbName()).isFalse();
        assertThat(t.isSetOwner()).isFalse();
        assertThat(t.isSetCreateTime()).isTrue();
        assertThat(t.getSd().getLocation()).endsWith("/p1");
        assertThat(t.getSd().isSetCols()).isFalse();
        assertThat(t.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(t.getSd().getSerdeInfo().isSetName()).isFalse();

        spec.setFieldList(List.of("tableName", "sd.cols.name"));
        assertThat(client.getTables(null, "proj", List.of("p1"), spec).get(0)).as("a field inside a list: whole tables").isEqualTo(client.getTable("proj", "p1"));
        spec.setFieldList(List.of("no_such_field"));
        assertThatThrownBy(() -> client.getTables(null, "proj", List.of("p1"), spec)).isInstanceOf(MetaException.class);
        spec.setFieldList(List.of());
        spec.setExcludeParamKeyPattern("foo");
        assertThatThrownBy(() -> client.getTables(null, "proj", List.of("p1"), spec)).isInstanceOf(MetaException.class);
    }

    @Test
    void alterAndRenameMovesManagedData() throws Exception {
        Table t = Fixtures.partitionedTable("shop", "sales");
        client.createTable(t);
        client.add_partition(Fixtures.partition(client.getTable("shop", "sales"), "2024-01-01", "1"));
        Path partDir = dir("shop", "sales").resolve("ds=2024-01-01/hr=1");
        assertThat(partDir).isDirectory();
        Files.writeString(partDir.resolve("f.parquet"), "data");

        Table altered = client.getTable("shop", "sales");
        altered.getSd().getCols().add(new FieldSchema("Price", "double", null));
        altered.getParameters().put("owner.team", "sales");
        client.alter_table("shop", "sales", altered);
        Table got = client.getTable("shop", "sales");
        assertThat(got.getSd().getCols()).extracting(FieldSchema::getName).containsExactly("id", "name", "price");
        assertThat(got.getParameters()).containsEntry("owner.team", "sales");
        assertThat(got.getCreateTime()).isEqualTo(altered.getCreateTime());

        Table renamed = got.deepCopy();
        renamed.setDbName("archive");
        renamed.setTableName("sales_2024");
        client.alter_table("shop", "sales", renamed);
        assertThatThrownBy(() -> client.getTable("shop", "sales")).isInstanceOf(NoSuchObjectException.class);
        Table moved = client.getTable("archive", "sales_2024");
        assertThat(moved.getSd().getLocation()).endsWith("/warehouse/archive.db/sales_2024");
        assertThat(dir("shop", "sales")).doesNotExist();
        assertThat(dir("archive", "sales_2024").resolve("ds=2024-01-01/hr=1/f.parquet")).exists();
        assertThat(client.getPartition("archive", "sales_2024", List.of("2024-01-01", "1")).getSd().getLocation())
                .endsWith("/warehouse/archive.db/sales_2024/ds=2024-01-01/hr=1");

        client.createTable(Fixtures.table("archive", "taken"));
        Table clash = client.getTable("archive", "sales_2024");
        clash.setTableName("taken");
        assertThatThrownBy(() -> client.alter_table("archive", "sales_2024", clash)).isInstanceOf(InvalidOperationException.class)
                .hasMessageContaining("new table archive.taken already exists");

        Table changedKeys = client.getTable("archive", "sales_2024");
        changedKeys.setPartitionKeys(List.of(new FieldSchema("ds", "string", null)));
        assertThatThrownBy(() -> client.alter_table("archive", "sales_2024", changedKeys)).isInstanceOf(InvalidOperationException.class);
        assertThatThrownBy(() -> client.alter_table("archive", "nope", Fixtures.table("archive", "nope")))
                .isInstanceOf(InvalidOperationException.class).hasMessageContaining("doesn't exist");
    }

    @Test
    void compareAndSwapOnExpectedParameter() throws Exception {
        Table t = Fixtures.table("shop", "iceberg_like");
        t.getParameters().put("metadata_location", "s3://m/v1.json");
        client.createTable(t);
        Table next = client.getTable("shop", "iceberg_like");
        next.getParameters().put("metadata_location", "s3://m/v2.json");
        EnvironmentContext ok = new EnvironmentContext(Map.of("expected_parameter_key", "metadata_location", "expected_parameter_value", "s3://m/v1.json"));
        client.alter_table_with_environmentContext("shop", "iceberg_like", next, ok);
        assertThat(client.getTable("shop", "iceberg_like").getParameters()).containsEntry("metadata_location", "s3://m/v2.json");

        Table stale = client.getTable("shop", "iceberg_like");
        stale.getParameters().put("metadata_location", "s3://m/v3.json");
        assertThatThrownBy(() -> client.alter_table_with_environmentContext("shop", "iceberg_like", stale, ok))
                .isInstanceOf(MetaException.class)
                .hasMessageContaining("The table has been modified. The parameter value for key 'metadata_location' is 's3://m/v2.json'");
        assertThat(client.getTable("shop", "iceberg_like").getParameters()).containsEntry("metadata_location", "s3://m/v2.json");
    }

    @Test
    void dropDeletesManagedDataAndTruncateEmptiesIt() throws Exception {
        client.createTable(Fixtures.table("shop", "tmp"));
        Files.writeString(dir("shop", "tmp").resolve("part-0"), "x");
        client.truncateTable("shop", "tmp", null);
        assertThat(dir("shop", "tmp")).isDirectory().isEmptyDirectory();
        client.dropTable("shop", "tmp", true, false);
        assertThat(dir("shop", "tmp")).doesNotExist();
        assertThatThrownBy(() -> client.dropTable("shop", "tmp", true, false)).isInstanceOf(NoSuchObjectException.class);

        client.createTable(Fixtures.table("shop", "keep_data"));
        client.dropTable("shop", "keep_data", false, false);
        assertThat(dir("shop", "keep_data")).isDirectory();
    }

    @Test
    void invalidDefinitionsChangeNothing() throws Exception {
        assertThatThrownBy(() -> client.createTable(Fixtures.table("shop", "bad name"))).isInstanceOf(InvalidObjectException.class);
        assertThatThrownBy(() -> client.createTable(Fixtures.table("no_such_db", "t"))).isInstanceOf(InvalidObjectException.class);
        Table dupCols = Fixtures.table("shop", "dup_cols", List.of(new FieldSchema("id", "string", null)));
        assertThatThrownBy(() -> client.createTable(dupCols)).isInstanceOf(InvalidObjectException.class);
        Table noType = Fixtures.table("shop", "no_type");
        noType.getSd().getCols().get(0).setType(null);
        assertThatThrownBy(() -> client.createTable(noType)).isInstanceOf(InvalidObjectException.class);
        assertThat(client.getAllTables("shop")).doesNotContain("bad name", "dup_cols", "no_type");
        assertThat(dir("shop", "dup_cols")).doesNotExist();
    }

    @Test
    void tablesCarryTheirIdAndStayInTheirCatalog() throws Exception {
        client.createDatabase(Fixtures.database("ids"));
        client.createTable(Fixtures.table("ids", "t1"));
        client.createTable(Fixtures.table("ids", "t2"));
        Table t1 = client.getTable("ids", "t1");
        assertThat(t1.isSetId()).isTrue();
        assertThat(t1.isSetWriteId()).isTrue();
        assertThat(t1.getWriteId()).isEqualTo(-1);
        assertThat(t1.getId()).isNotEqualTo(client.getTable("ids", "t2").getId());
        assertThat(client.getTableObjectsByName("ids", List.of("t1")).get(0).getId()).isEqualTo(t1.getId());

        Table moved = t1.deepCopy();
        moved.setCatName("elsewhere");
        moved.getSd().setLocation(null);
        assertThatThrownBy(() -> client.alter_table("ids", "t1", moved)).isInstanceOf(InvalidOperationException.class).hasMessageContaining("catalog");
        assertThat(client.getTable("ids", "t1").getSd().getLocation()).isEqualTo(t1.getSd().getLocation());
    }
}
